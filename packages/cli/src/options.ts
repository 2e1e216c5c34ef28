import { type Formatters, O11yError, type Severity } from '@o11y/core';
import type { DefinedConfig } from '@o11y/lint';
import { UsageError } from './command.ts';

/**
 * The output format of a verb: `--format` when given, else the verb's entry in the `formats` of
 * o11y.config.ts, else the verb's first (human) format.
 *
 * Reading o11y.config.ts registers the TypeScript loader: a verb imports its libraries before it calls
 * this (setTypeScriptLoader says why).
 */
export async function chooseFormat<F extends Formatters<never, never>>(
  formatters: F,
  given: string | undefined,
  verb: string,
  root: string,
): Promise<keyof F & string> {
  const names = Object.keys(formatters);
  const known = (name: string): name is keyof F & string => names.includes(name);
  if (given !== undefined) {
    if (!known(given)) throw new UsageError(`--format must be one of ${names.join(', ')}`);
    return given;
  }
  // Imported here: the lint library is heavy, and `o11y <verb> --help` never gets this far.
  const { loadConfig } = await import('@o11y/lint');
  const config = (await loadConfig(root)) as DefinedConfig;
  const configured = config.formats?.[verb];
  if (configured === undefined) return names[0] as keyof F & string;
  if (!known(configured)) {
    throw new O11yError(`formats.${verb} is "${configured}", not a format of o11y ${verb}`, {
      id: 'config/format',
      ...(config.source && { source: config.source }),
      hint: `use one of ${names.join(', ')}`,
    });
  }
  return configured;
}

/** `--fail-on error|warning`. */
export function failOnOption(value: string | undefined): Severity {
  if (value === undefined || value === 'error' || value === 'warning') return value ?? 'error';
  throw new UsageError('--fail-on must be error or warning');
}

/** The build's `--fail-on`: also `never`, which reports the lint findings and fails on none of them. */
export function buildFailOnOption(value: string | undefined): Severity | 'never' {
  return value === 'never' ? value : failOnOption(value);
}
