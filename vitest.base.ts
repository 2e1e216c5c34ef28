import { defineConfig } from 'vitest/config';

/** Vite's default conditions for server code (`defaultServerConditions`), after ours. */
const conditions = ['o11y-source', 'module', 'node', 'development|production'];

/**
 * What every package's tests share: the workspace packages resolve to their TypeScript sources
 * (the `o11y-source` export condition), not to the compiled dist/ that `o11y` runs, so tests never
 * need a build of the package they test and never test a stale one.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
});
