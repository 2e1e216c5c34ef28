import type { Diagnostic } from '@o11y/core';
import { caretLines, parseLogql } from '@o11y/logql';
import { type DashboardQueryProblems, dashboardQueryProblems } from '@o11y/promql';
import type { DashboardOrigins, PanelOrigin } from '../builder/dashboard.ts';

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
 * Parses every query of a written dashboard, Grafana's variables and macros replaced by same-length
 * placeholders: Prometheus queries with Prometheus's own parser (syntax errors and undeclared
 * variables), Loki queries with Grafana's LogQL grammar; each problem at the TypeScript line of the query.
 * The Prometheus queries are parsed later, all of a build's at once (`checkPromQueries`).
 */
export function checkQueries(origins: DashboardOrigins, written: unknown): (Diagnostic | PromQuery)[] {
  const json = written as DashboardJson;
  const variables = (json.templating?.list ?? []).flatMap((v) => (v.name ? [v.name] : []));
  return (json.panels ?? []).flatMap((panelJson, panelIndex): (Diagnostic | PromQuery)[] => {
    const panel = origins.panelAt[panelIndex];
    const targets = panelJson.targets ?? [];
    if (panel && panelJson.datasource?.type === 'prometheus')
      return targets.flatMap((target, index) =>
        target.expr === undefined
          ? []
          : [new PromQuery(panel, index, { ...target, expr: target.expr }, variables)],
      );
    if (panel && panelJson.datasource?.type === 'loki')
      return targets.flatMap((target, index) => checkLogQuery(panel, index, target));
    return [];
  });
}

/** One LogQL query (`index`th of its panel) parsed, with a caret under its first mistake. */
export function checkLogQuery(
  panel: PanelOrigin,
  index: number,
  target: { readonly expr?: string; readonly refId?: string },
): Diagnostic[] {
  if (target.expr === undefined) return [];
  const parsed = parseLogql(target.expr);
  if (parsed.ok) return [];
  const expr = target.expr;
  return parsed.errors.map((error) => ({
    severity: 'error',
    // The problem lint's logql/syntax reports at the same query: the build says it once.
    id: 'logql/syntax',
    message: `LogQL query ${target.refId ?? index} of panel "${panel.title}" does not parse at line ${error.line} column ${error.column}: ${error.message}\n${caretLines(expr, error)}`,
    hint: "fix the query as Grafana's LogQL editor would: the caret is under the first token it cannot read",
    source: panel.queries[index]?.source ?? panel.source,
  }));
}

/** One Prometheus query (`index`th of its panel) to parse, with the dashboard's variable names declared. */
export class PromQuery {
  constructor(
    readonly panel: PanelOrigin,
    readonly index: number,
    readonly target: { readonly expr: string; readonly refId?: string },
    readonly variables: readonly string[],
  ) {}

  problems(parsed: DashboardQueryProblems): Diagnostic[] {
    const { panel, index, target } = this;
    const problems: Diagnostic[] = [];
    const source = panel.queries[index]?.source ?? panel.source;
    const where = `query ${target.refId ?? index} of panel "${panel.title}"`;
    if (!parsed.ok) {
      for (const error of parsed.errors) {
        problems.push({
          severity: 'error',
          // The problem lint's promql/syntax reports at the same query: the build says it once.
          id: 'promql/syntax',
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
}

/**
 * The problems in order, each Prometheus query replaced by its own: every query of the build is parsed
 * at once by the native parser, where one wasm call per query was most of a large build's verify, and
 * only the results of queries that fail are decoded.
 */
export async function checkPromQueries(found: readonly (Diagnostic | PromQuery)[]): Promise<Diagnostic[]> {
  const queries = found.filter((item): item is PromQuery => item instanceof PromQuery);
  const parsed = await dashboardQueryProblems(
    queries.map(({ target, variables }) => ({ query: target.expr, variables })),
  );
  const results = new Map(queries.map((query, index) => [query, parsed[index]!]));
  return found.flatMap((item) => (item instanceof PromQuery ? item.problems(results.get(item)!) : [item]));
}
