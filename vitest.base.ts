import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Ours, then Vite's default server conditions without `module`: a dependency that Node loads itself
 * (externalised) must resolve as Node resolves it — `module` picks bundler-only builds such as
 * @opentelemetry/api's extensionless ESM, which Node cannot load.
 */
const conditions = ['o11y-source', 'node', 'development|production'];

/**
 * What every package's tests share: the workspace packages resolve to their TypeScript sources
 * (the `o11y-source` export condition), not to the compiled dist/ that `o11y` runs, so tests never
 * need a build of the package they test and never test a stale one.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { setupFiles: [path.join(import.meta.dirname, 'vitest.setup.ts')] },
});
