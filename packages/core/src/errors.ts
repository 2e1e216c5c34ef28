import { formatSource, type SourceLocation, sourceFromStack } from './source.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One finding from any stage (build, schema, lint, promtool, publish), pointing at the TypeScript line. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly source?: SourceLocation;
  /** Stable id of the check or stage, e.g. `promql/rate-non-counter`, `build/slo-objective`. */
  readonly id?: string;
  /** What the user should do about it. */
  readonly hint?: string;
}

/** An error a user can act on: it names where the offending thing was defined and what to do. */
export class O11yError extends Error {
  readonly source: SourceLocation | undefined;
  readonly id: string | undefined;
  readonly hint: string | undefined;

  constructor(
    message: string,
    options: { source?: SourceLocation; id?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'O11yError';
    this.source = options.source;
    this.id = options.id;
    this.hint = options.hint;
  }

  toDiagnostic(): Diagnostic {
    return {
      severity: 'error',
      message: this.message,
      ...(this.source && { source: this.source }),
      ...(this.id && { id: this.id }),
      ...(this.hint && { hint: this.hint }),
    };
  }
}

/** Several independent errors found in one pass, reported together instead of one per run. */
export class O11yErrors extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'O11yErrors';
  }
}

/** `dashboards/payments.ts:42:7  message  (check-id)` and the hint on the next line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatSource(d.source);
  const id = d.id ? `  (${d.id})` : '';
  const hint = d.hint ? `\n    hint: ${d.hint}` : '';
  return `${where}  ${d.severity === 'error' ? '' : `${d.severity}: `}${d.message}${id}${hint}`;
}

/**
 * Turn anything thrown into diagnostics, keeping the location of O11y errors; a plain error is
 * placed at the first frame of its stack in the user's definitions, when there is one.
 */
export function toDiagnostics(error: unknown): Diagnostic[] {
  if (error instanceof O11yErrors) return [...error.diagnostics];
  if (error instanceof O11yError) return [error.toDiagnostic()];
  if (error instanceof Error) {
    const source = sourceFromStack(error.stack ?? '');
    return [{ severity: 'error', message: error.message, ...(source && { source }) }];
  }
  return [{ severity: 'error', message: String(error) }];
}

/**
 * Bad command-line usage (an unknown option, a value of the wrong shape): the CLI prints it with the
 * verb's help and exits 2. Packages that read options (publish targets) throw it too.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
