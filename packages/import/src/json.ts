export type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The objects of a JSON list; nothing for anything else. */
export const recordsOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);
