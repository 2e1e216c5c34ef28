import { pathToFileURL } from 'node:url';

let loader: (() => Promise<void>) | undefined;
let loading: Promise<void> | undefined;

/**
 * How this program makes TypeScript importable, run once before the first module the organisation
 * wrote is imported. The CLI gives tsx's registration here rather than registering it at start-up:
 * its own compiled modules then load without tsx's loader thread, and commands that read no
 * TypeScript (plain-file lint, help) never start it. Hosts that import TypeScript already (tsx,
 * vitest) give nothing.
 */
export function setTypeScriptLoader(load: () => Promise<void>): void {
  loader = load;
}

/** Makes the organisation's TypeScript importable, if the program gave a loader; once. */
export function enableTypeScript(): Promise<void> {
  loading ??= loader?.() ?? Promise.resolve();
  return loading;
}

/** Imports a module the organisation wrote (o11y.config.ts, its catalogue, its definitions). */
export async function importOrganisationModule(file: string): Promise<Record<string, unknown>> {
  await enableTypeScript();
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
