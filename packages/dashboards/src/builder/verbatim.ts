function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Raw JSON laid over built JSON: objects merge key by key; an array over an array of the same length
 * merges element by element (so `targets: [{}, { hide: true }]` touches the second target only);
 * anything else replaces what was built.
 */
export function mergeVerbatim(built: unknown, raw: unknown): unknown {
  if (isObject(built) && isObject(raw)) {
    const merged: Record<string, unknown> = { ...built };
    for (const [key, value] of Object.entries(raw)) merged[key] = mergeVerbatim(built[key], value);
    return merged;
  }
  if (Array.isArray(built) && Array.isArray(raw) && built.length === raw.length) {
    return built.map((item, index) => mergeVerbatim(item, raw[index]));
  }
  return raw;
}
