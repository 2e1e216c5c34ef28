// A module resolve hook (node:module register): a module under the watched folders, imported from a
// module of generation N (`?generation=N`), gets generation N too. Importing an entry with a new
// generation therefore evaluates the organisation's modules afresh, while the packages they use
// (outside the folders) stay loaded.
let prefixes = [];

export function initialize(data) {
  prefixes = data.prefixes;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const generation = context.parentURL ? new URL(context.parentURL).searchParams.get('generation') : null;
  if (generation === null || !prefixes.some((prefix) => result.url.startsWith(prefix))) return result;
  const url = new URL(result.url);
  url.searchParams.set('generation', generation);
  return { ...result, url: url.href };
}
