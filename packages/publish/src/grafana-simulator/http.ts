import type { Identity, JsonObject } from './store.ts';

/** One request as the route handlers see it: already authenticated and with its JSON body parsed. */
export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly segments: readonly string[];
  readonly body: unknown;
  readonly who: Identity;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SimResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export function json(status: number, body: unknown): SimResponse {
  return { status, body };
}

export function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function isWriteMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** Viewers read; editors and admins write. Grafana's message names the missing permission. */
export function requireWriter(who: Identity, permission: string): void {
  if (who.role === 'Viewer') throw new ForbiddenError(permission);
}

export class ForbiddenError extends Error {
  constructor(readonly permission: string) {
    super(`You'll need additional permissions to perform this action. Permissions needed: ${permission}`);
  }
}
