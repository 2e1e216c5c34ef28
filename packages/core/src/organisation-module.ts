import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { O11yError } from './errors.ts';
import { projectRootOf } from './source.ts';

let loader: string | undefined;
let loading: Promise<void> | undefined;

/**
 * How this program makes TypeScript importable: the URL of a module whose `register()` does it
 * (tsx/esm/api), imported once before the first module the organisation wrote. The CLI gives it
 * rather than registering at start-up: its own compiled modules then load without tsx's loader thread,
 * and commands that read no TypeScript (plain-file lint, help) never start it. Hosts that import
 * TypeScript already (tsx, vitest) give nothing. Every module imported once it is registered goes
 * through its thread, the libraries' too: a command imports its libraries before the first module of
 * the organisation (o11y.config.ts, read for the layout or the formats), which starts the sample's lint
 * and build 0.1 s sooner. A URL, not a function, so that a worker thread can be given the same loader.
 */
export function setTypeScriptLoader(module: string): void {
  loader = module;
}

/** The loader setTypeScriptLoader gave, for a worker thread that imports the organisation's modules too. */
export function typeScriptLoader(): string | undefined {
  return loader;
}

/** Makes the organisation's TypeScript importable, if the program gave a loader; once. */
export function enableTypeScript(): Promise<void> {
  loading ??=
    loader === undefined
      ? Promise.resolve()
      : import(loader).then((api: { register: () => unknown }) => {
          api.register();
        });
  return loading;
}

/** Imports a module the organisation wrote (o11y.config.ts, its catalogue, its definitions). */
export async function importOrganisationModule(file: string): Promise<Record<string, unknown>> {
  await enableTypeScript();
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw notModuleError(file, error) ?? error;
  }
}

/**
 * The organisation's modules are ES modules (`import … from '@o11y/…'`). Under a package.json without
 * `"type": "module"` Node reads a .ts file as CommonJS, and fails in ways that name neither the cause
 * nor the fix (a require cycle, `import` outside a module): say both.
 */
function notModuleError(file: string, error: unknown): O11yError | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  const commonJs =
    code === 'ERR_REQUIRE_CYCLE_MODULE' ||
    code === 'ERR_REQUIRE_ESM' ||
    /Cannot use import statement outside a module/.test(message);
  if (!commonJs || !file.endsWith('.ts')) return undefined;
  const root = projectRootOf(path.dirname(file));
  const manifest = path.join(root, 'package.json');
  const present = existsSync(manifest);
  const type = present ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type : undefined;
  if (type === 'module') return undefined;
  return new O11yError(
    `${path.relative(root, file)} is read as CommonJS: ${present ? 'package.json does not say "type": "module"' : 'there is no package.json with "type": "module"'}`,
    {
      id: 'project/not-module',
      source: { file: path.relative(root, file), line: 1, column: 1 },
      hint: 'o11y imports the definitions as ES modules: add "type": "module" to the package.json of the project root',
      cause: error,
    },
  );
}
