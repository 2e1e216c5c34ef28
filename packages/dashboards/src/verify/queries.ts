import type { Diagnostic } from '@o11y/core';
import { parseDashboardQuery } from '@o11y/promql';
import type { CompiledDashboard } from '../builder/dashboard.ts';
import type { Panel } from '../builder/panel.ts';

interface PanelJson {
  readonly title?: string;
  readonly datasource?: { readonly type?: string };
  readonly targets?: readonly { readonly expr?: string; readonly refId?: string }[];
}

interface DashboardJson {
  readonly panels?: readonly PanelJson[];
  readonly templating?: { readonly list?: readonly { readonly name?: string }[] };
}

/**
 * Parses every Prometheus query of a written dashboard with Prometheus's own parser, Grafana's
 * variables and macros replaced by same-length placeholders, and reports syntax errors and undeclared
 * variables at the TypeScript line of the query.
 */
export function checkQueries(compiled: CompiledDashboard, written: unknown): Diagnostic[] {
  const json = written as DashboardJson;
  const variables = (json.templating?.list ?? []).flatMap((v) => (v.name ? [v.name] : []));
  return (json.panels ?? []).flatMap((panelJson, panelIndex) => {
    const panel = compiled.panelAt[panelIndex];
    if (!panel || panelJson.datasource?.type !== 'prometheus') return [];
    return (panelJson.targets ?? []).flatMap((target, index) => checkQuery(panel, index, target, variables));
  });
}

/** One Prometheus query (`index`th of its panel) parsed, with the dashboard's variable names declared. */
export function checkQuery(
  panel: Panel,
  index: number,
  target: { readonly expr?: string; readonly refId?: string },
  variables: readonly string[],
): Diagnostic[] {
  if (target.expr === undefined) return [];
  const problems: Diagnostic[] = [];
  const source = panel.queries[index]?.source ?? panel.source;
  const where = `query ${target.refId ?? index} of panel "${panel.title}"`;
  const parsed = parseDashboardQuery(target.expr, [...variables]);
  if (!parsed.ok) {
    for (const error of parsed.errors) {
      problems.push({
        severity: 'error',
        id: 'dashboards/promql-syntax',
        message: `${where} does not parse at column ${error.column}: ${error.message}\n    ${target.expr}`,
        source,
      });
    }
  }
  for (const name of parsed.unknownVariables) {
    problems.push({
      severity: 'error',
      id: 'dashboards/unknown-variable',
      message: `${where} uses $${name}, which the dashboard does not define`,
      source,
    });
  }
  return problems;
}
