import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledModuleUrl } from './compiled-modules.ts';
import { O11yError } from './errors.ts';
import { projectRootOf } from './source.ts';

let loader: string | undefined;
let loading: Promise<void> | undefined;

/**
 * How this program makes TypeScript importable: the URL of a module whose `register()` does it
 * (tsx/esm/api). The CLI gives it; hosts that import TypeScript already (tsx, vitest) give nothing.
 * Given one, importOrganisationModule imports each module compiled once into the project's cache
 * (compiled-modules.ts), with Node's own loader: registering a loader starts a thread every later import
 * goes through, which cost the sample's build 0.2 s. Only `o11y dev`, which re-imports edited modules
 * fresh, registers it (enableTypeScript), and a project whose cache cannot be written (a read-only
 * node_modules) imports through it. A URL, not a function, so that a worker thread can be given
 * the same loader.
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

/** Set once the compiled modules' cache cannot be written: the organisation's modules go through tsx. */
let uncompiled = false;

/** Imports a module the organisation wrote (o11y.config.ts, its catalogue, its definitions). */
export async function importOrganisationModule(file: string): Promise<Record<string, unknown>> {
  if (loader !== undefined && !uncompiled) {
    // Compiled, a module is ES whatever its package.json says; Node, and `o11y dev`, would read it as
    // CommonJS: the same error as theirs.
    const commonJs = readAsCommonJs(file);
    if (commonJs) throw commonJs;
    const compiled = await compiledModuleUrl(file);
    if (compiled !== undefined) return (await import(compiled)) as Record<string, unknown>;
    uncompiled = true;
  }
  await enableTypeScript();
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    const failedAsCommonJs =
      code === 'ERR_REQUIRE_CYCLE_MODULE' ||
      code === 'ERR_REQUIRE_ESM' ||
      /Cannot use import statement outside a module/.test(message);
    throw (failedAsCommonJs && readAsCommonJs(file, error)) || error;
  }
}

/** The `type` of each project's package.json (undefined: none, or no package.json), by project root. */
const moduleTypes = new Map<string, { readonly present: boolean; readonly type: unknown }>();

/**
 * The organisation's modules are ES modules (`import … from '@o11y/…'`). Under a package.json without
 * `"type": "module"` Node reads a .ts file as CommonJS, and fails in ways that name neither the cause
 * nor the fix (a require cycle, `import` outside a module): the error that says both, or undefined.
 */
function readAsCommonJs(file: string, cause?: unknown): O11yError | undefined {
  if (!file.endsWith('.ts')) return undefined;
  const root = projectRootOf(path.dirname(file));
  let manifest = moduleTypes.get(root);
  if (!manifest) {
    const manifestPath = path.join(root, 'package.json');
    const present = existsSync(manifestPath);
    const type = present
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { type?: unknown }).type
      : undefined;
    manifest = { present, type };
    moduleTypes.set(root, manifest);
  }
  if (manifest.type === 'module') return undefined;
  return new O11yError(
    `${path.relative(root, file)} is read as CommonJS: ${manifest.present ? 'package.json does not say "type": "module"' : 'there is no package.json with "type": "module"'}`,
    {
      id: 'project/not-module',
      source: { file: path.relative(root, file), line: 1, column: 1 },
      hint: 'o11y imports the definitions as ES modules: add "type": "module" to the package.json of the project root',
      ...(cause !== undefined && { cause }),
    },
  );
}
