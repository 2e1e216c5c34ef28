import { captureSource, type Diagnostic, O11yErrors, type SourceLocation } from '@o11y/core';

/** A stream label as the organisation declares it. */
export interface LogStreamLabelSpec {
  /** What the label says, for the reader of the catalogue. */
  readonly description?: string;
  /** Every value it takes, when the set is closed (services, environments); omitted for open sets (pods). */
  readonly values?: readonly string[];
}

export interface LogStreamLabel {
  readonly name: string;
  readonly description: string | undefined;
  readonly values: readonly string[] | undefined;
}

/**
 * The stream labels of the organisation's logs: the labels its log agents (Alloy, Promtail, the
 * OpenTelemetry Collector) put on every stream Loki stores. LogQL selectors are checked against them.
 */
export interface LogStreams {
  readonly source: SourceLocation;
  /** The declared labels, in the order written. */
  readonly labels: readonly LogStreamLabel[];
  label(name: string): LogStreamLabel | undefined;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Declares the log stream labels; a bad declaration is an error at the calling line. */
export function defineLogStreams(specs: Readonly<Record<string, LogStreamLabelSpec>>): LogStreams {
  const source = captureSource();
  const problems: Diagnostic[] = [];
  const labels: LogStreamLabel[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      problems.push({
        severity: 'error',
        id: 'catalog/log-stream',
        message: `log stream label "${name}" is not a label name`,
        source,
        hint: 'use letters, digits and _, not starting with __',
      });
    }
    const values = spec.values;
    if (values && (values.length === 0 || new Set(values).size !== values.length || values.includes(''))) {
      problems.push({
        severity: 'error',
        id: 'catalog/log-stream',
        message: `log stream label ${name}: values must be distinct and non-empty`,
        source,
        hint: 'list each value once, or omit values for an open set',
      });
    }
    labels.push({
      name,
      description: spec.description,
      values: values && Object.freeze([...values]),
    });
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  const frozen = Object.freeze(labels);
  return { source, labels: frozen, label: (name) => frozen.find((l) => l.name === name) };
}
