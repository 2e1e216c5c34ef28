import { type Artifact, stableStringify } from '@o11y/core';
import type { Plan } from './plan.ts';

/**
 * `slo/<service>-<name>.json` per SLO: what it promises (objective, period, burn-rate windows) as
 * data, so a pull request's diff can show an objective or a window that changed in one line instead
 * of as the rule expressions it rewrites.
 */
export function sloArtifacts(p: Plan): Artifact[] {
  return p.slos.map((slo) => ({
    path: `slo/${slo.id}.json`,
    kind: 'slo',
    content: stableStringify({
      name: slo.id,
      service: slo.service,
      team: slo.team,
      objective: slo.objective,
      errorBudget: slo.errorBudget,
      window: slo.period,
      grouping: slo.grouping,
      windows: slo.windows.map((w) => `${w.severity} ${w.long}/${w.short} ×${w.factor}`),
      alerts: slo.alertNames,
      ...(slo.description && { description: slo.description }),
    }),
    source: slo.source,
  }));
}
