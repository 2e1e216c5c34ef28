import { shortHash } from '@o11y/core';

/** Grafana rejects uids longer than 40 characters. */
export const MAX_UID_LENGTH = 40;
const HASH_LENGTH = 8;

/** Lowercase words of a name joined by `-`: `Payments — RED` → `payments-red`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A stable Grafana uid from a name: its slug when that fits in 40 characters, else a shortened slug
 * plus a hash of the full name, so two long names that share a prefix still get different uids.
 */
export function uidFrom(name: string): string {
  const slug = slugify(name);
  if (slug.length > 0 && slug.length <= MAX_UID_LENGTH) return slug;
  const head = slug.slice(0, MAX_UID_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return head ? `${head}-${shortHash(name, HASH_LENGTH)}` : shortHash(name, HASH_LENGTH);
}

const VALID_UID = /^[a-zA-Z0-9_-]+$/;

export function isValidUid(uid: string): boolean {
  return uid.length <= MAX_UID_LENGTH && VALID_UID.test(uid);
}
