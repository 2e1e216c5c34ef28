import { O11yError, UsageError } from '@o11y/core';
import type { PublishContext } from './publisher.ts';
import { readSecret } from './secrets.ts';

/** A string option the target cannot do without. */
export function requiredString(context: PublishContext, name: string): string {
  const value = context.values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(context: PublishContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(context: PublishContext, name: string): boolean {
  return context.values[name] === true;
}

/** A whole number ≥ 1, or the fallback when the option is not given. */
export function positiveInt(context: PublishContext, name: string, fallback: number): number {
  const value = optionalString(context, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer`);
  return parsed;
}

/** One of a fixed set of words. */
export function choice<T extends string>(
  context: PublishContext,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = optionalString(context, name) ?? fallback;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be ${choices.join(', ')}`);
  return value as T;
}

/** A secret from `NAME` or `NAME_FILE`, registered so nothing printed can carry it. */
export function secretFromEnv(context: PublishContext, name: string): string | undefined {
  const value = readSecret(name);
  if (value) context.secret(value);
  return value;
}

/** A secret the target cannot do without: `missing` says what is missing (`no Grafana token`). */
export function requiredSecret(
  context: PublishContext,
  name: string,
  missing: { readonly message: string; readonly id: string; readonly hint: string },
): string {
  const value = secretFromEnv(context, name);
  if (!value) throw new O11yError(missing.message, { id: missing.id, hint: missing.hint });
  return value;
}
