import { stableStringify } from '@o11y/core';
import type { CardinalityReport } from '../cardinality.ts';
import type { LintReport } from '../lint.ts';

/** Machine-readable findings (sorted keys, stable order), with the cardinality estimates when asked for. */
export function formatJSON(result: LintReport, cardinality?: CardinalityReport): string {
  const count = (severity: string) => result.findings.filter((f) => f.severity === severity).length;
  const estimate = (e: { subject: string; series: number; complete: boolean }) => ({
    subject: e.subject,
    series: Number.isFinite(e.series) ? e.series : null,
    complete: e.complete,
  });
  return stableStringify({
    version: 1,
    findings: result.findings,
    summary: {
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: result.suppressed,
    },
    ...(cardinality && {
      cardinality: {
        rules: cardinality.rules.map(estimate),
        groups: cardinality.groups.map(estimate),
        queries: cardinality.queries.map(estimate),
        selectors: cardinality.selectors.map(({ text, series, complete }) => ({ text, series, complete })),
        recordedTotal: cardinality.recordedTotal,
      },
    }),
  });
}
