import { createHash } from 'node:crypto';

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A short stable id from a name, for Grafana uids and the like (hex, `length` characters). */
export function shortHash(content: string, length = 8): string {
  return sha256(content).slice(0, length);
}
