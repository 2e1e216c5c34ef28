import type { InstantVector } from '@o11y/catalog';
import { captureSource, type Duration, O11yError } from '@o11y/core';
import { SEVERITIES, type Severity } from '../labels.ts';
import { type AlertingRule, makeAlert } from '../rule.ts';

export interface VerbatimAlertOptions {
  readonly expr: InstantVector;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  /** Every label exactly as the imported rule file had it. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Every annotation exactly as the imported rule file had it. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Why the rule is not written with `alert()` (a missing team, severity or annotation), for reviewers. */
  readonly imported: string;
  readonly untested?: string;
}

/**
 * Escape hatch for an imported alerting rule that does not follow `alert()`'s conventions (a `team`
 * and `severity` label, a summary and description): its labels and annotations are kept verbatim,
 * so the built rule file equals the imported one. `o11y import` writes it and lists it in its report;
 * move the rule to `alert()` once it has an owner and annotations.
 */
export function verbatimAlert(name: string, options: VerbatimAlertOptions): AlertingRule {
  const source = captureSource();
  if (options.imported.trim() === '') {
    throw new O11yError(`alert ${name}: say why it is kept verbatim`, {
      source,
      id: 'rules/verbatim-reason',
    });
  }
  const labels = options.labels ?? {};
  const annotations = options.annotations ?? {};
  // Checked like any alert (name, label names, durations), then given back its own labels and annotations.
  const checked = makeAlert(
    name,
    {
      expr: options.expr,
      ...(options.for !== undefined && { for: options.for }),
      ...(options.keepFiringFor !== undefined && { keepFiringFor: options.keepFiringFor }),
      severity: SEVERITIES.includes(labels.severity as Severity) ? (labels.severity as Severity) : 'info',
      team: labels.team ?? 'unowned',
      summary: 'verbatim',
      description: 'verbatim',
      labels: Object.fromEntries(
        Object.entries(labels).filter(([key]) => key !== 'severity' && key !== 'team'),
      ),
      ...(options.untested !== undefined && { untested: options.untested }),
    },
    source,
  );
  return Object.freeze({
    ...checked,
    labels: Object.freeze({ ...labels }),
    annotations: Object.freeze({ ...annotations }),
  });
}
