import { parseDashboardQuery } from '@o11y/promql';
import { type ExpressionUses, expressionUses } from '../catalog/usage.ts';
import { isRecord, type Json, recordsOf } from '../json.ts';

function datasourceType(value: unknown): string | undefined {
  return isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
}

/**
 * What the Prometheus queries of a classic dashboard read, for the catalogue the import declares.
 * Queries of other datasources (Loki, …) and queries that do not parse are left out; a `job` value
 * that a variable stands for is a placeholder, not a job, and is dropped.
 */
export function dashboardReads(json: Json): ExpressionUses[] {
  const templating = isRecord(json.templating) ? json.templating : {};
  const variables = recordsOf(templating.list).flatMap((v) => (typeof v.name === 'string' ? [v.name] : []));
  const panels = recordsOf(json.panels).flatMap((p) => [p, ...recordsOf(p.panels)]);
  const reads: ExpressionUses[] = [];
  for (const panel of panels) {
    for (const target of recordsOf(panel.targets)) {
      const type = datasourceType(target.datasource) ?? datasourceType(panel.datasource);
      if ((type !== undefined && type !== 'prometheus') || typeof target.expr !== 'string') continue;
      const expr = target.expr;
      const result = parseDashboardQuery(expr, variables);
      if (!result.ok) continue;
      const found = expressionUses(result.expr);
      reads.push({
        ...found,
        uses: found.uses.map((use) => ({
          ...use,
          jobs: new Set([...use.jobs].filter((job) => expr.includes(`"${job}"`))),
        })),
      });
    }
  }
  return reads;
}
