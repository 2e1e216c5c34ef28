/**
 * Importing the organisation's modules again after an edit, without restarting Node: a resolve hook
 * (fresh-modules-hook.mjs) carries a generation number from an entry module to every module it
 * imports under the given folders, so each generation re-evaluates them while the packages they
 * import stay loaded and warm.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface FreshModules {
  /** Starts a new generation: the next imports evaluate the modules under the folders again. */
  next(): void;
  import(file: string): Promise<Record<string, unknown>>;
}

export function freshModules(folders: readonly string[]): FreshModules {
  register(new URL('./fresh-modules-hook.mjs', import.meta.url), {
    data: { prefixes: folders.map((folder) => `${pathToFileURL(folder).href}/`) },
  });
  let generation = 0;
  return {
    next() {
      generation += 1;
    },
    async import(file) {
      const url = new URL(pathToFileURL(file).href);
      url.searchParams.set('generation', String(generation));
      return (await import(url.href)) as Record<string, unknown>;
    },
  };
}
