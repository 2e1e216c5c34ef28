import type { DistTree } from '../built/tree.ts';
import { diffAlertmanager } from './alertmanager.ts';
import { diffDashboards } from './dashboards.ts';
import { diffGrafanaAlerting } from './grafana-alerting.ts';
import type { CardinalityDiff, DiffOptions, DiffReport } from './model.ts';
import { diffLokiRules, diffRules } from './rules.ts';
import { diffSlos } from './slos.ts';

/**
 * The semantic difference between two builds: a pure function of the two dist/ trees, so it is
 * tested on fixtures and `o11y diff` only has to produce the trees.
 */
export function diffTrees(base: DistTree, head: DistTree, options: DiffOptions = {}): DiffReport {
  const cardinality = estimatedSeries(base, head);
  return {
    sections: [
      diffDashboards(base, head, options),
      diffRules(base, head, options),
      diffSlos(base, head),
      diffAlertmanager(base, head),
      diffGrafanaAlerting(base, head, options),
      diffLokiRules(base, head, options),
    ],
    ...(cardinality && { cardinality }),
  };
}

/**
 * Hook for cardinality: when both manifests give `estimatedSeries` on their artifacts, the totals
 * before and after (reported only when they differ).
 */
function estimatedSeries(base: DistTree, head: DistTree): CardinalityDiff | undefined {
  const total = (tree: DistTree) => {
    const values = (tree.manifest?.artifacts ?? [])
      .map((a) => a.estimatedSeries)
      .filter((v): v is number => typeof v === 'number');
    return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0);
  };
  const before = total(base);
  const after = total(head);
  return before === undefined || after === undefined || before === after ? undefined : { before, after };
}
