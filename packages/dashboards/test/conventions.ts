import { parseDuration } from '@o11y/core';
import { type Node, parseDashboardQuery, walk } from '@o11y/promql';

/** The convention checks the tests run on emitted dashboard JSON, independent of the builders. */
export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; query?: unknown; datasource?: { uid?: string } }[] };
  annotations: { list: { name: string; datasource?: { type?: string; uid?: string } }[] };
  links?: { url?: string; type?: string; tags?: string[] }[];
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string; thresholds?: { steps: { value: number | null }[] } } };
  targets?: {
    expr?: string;
    legendFormat?: string;
    datasource?: { uid?: string };
    exemplar?: boolean;
    interval?: string;
  }[];
  gridPos?: { x: number; y: number; w: number; h: number };
}

/**
 * Labels a parsed query returns, where its shape makes them certain: `sum by (…)`, `histogram_quantile`
 * over one, arithmetic keeping the left side's labels; undefined where only the data could tell.
 */
export function outputLabels(node: Node): string[] | undefined {
  switch (node.type) {
    case 'Paren':
    case 'Unary':
      return outputLabels(node.expr);
    case 'Aggregate':
      if (['topk', 'bottomk'].includes(node.op)) return outputLabels(node.expr);
      return node.without ? undefined : [...node.grouping];
    case 'Call':
      if (node.func === 'histogram_quantile') return outputLabels(node.args[1]!)?.filter((l) => l !== 'le');
      return node.args[0] ? outputLabels(node.args[0]) : [];
    case 'Binary': {
      if (node.lhs.valueType === 'scalar') return outputLabels(node.rhs);
      return outputLabels(node.lhs);
    }
    case 'Number':
      return [];
    default:
      return undefined;
  }
}

/** Every convention the issue names, checked on one emitted dashboard; returns the violations. */
export function conventionViolations(json: DashboardJson, variables: readonly string[]): string[] {
  const problems: string[] = [];
  const say = (panel: PanelJson, message: string) =>
    problems.push(`${json.uid} panel ${panel.id} "${panel.title}": ${message}`);
  if (json.uid.length > 40) problems.push(`${json.uid}: uid longer than 40 characters`);
  if (json.panels.length >= 50) problems.push(`${json.uid}: ${json.panels.length} panels`);
  if (!json.templating.list.some((v) => v.type === 'datasource' && v.query === 'prometheus')) {
    problems.push(`${json.uid}: no Prometheus datasource variable`);
  }
  if (!json.annotations.list.some((a) => a.name === 'Deployments'))
    problems.push(`${json.uid}: no deployments annotation`);
  const ids = new Set<number>();
  for (const panel of json.panels) {
    if (ids.has(panel.id)) say(panel, 'duplicate panel id');
    ids.add(panel.id);
    if (panel.type === 'row') continue;
    const uids = [panel.datasource?.uid, ...(panel.targets ?? []).map((t) => t.datasource?.uid)];
    for (const uid of uids)
      if (!uid?.startsWith('${')) say(panel, `datasource uid "${uid}" is not a variable`);
    if (!panel.description) say(panel, 'no description');
    if (panel.type !== 'logs' && !panel.fieldConfig?.defaults?.unit) say(panel, 'no unit');
    if (panel.datasource?.type !== 'prometheus') continue;
    for (const target of panel.targets ?? []) {
      const parsed = parseDashboardQuery(target.expr ?? '', variables);
      if (!parsed.ok) {
        say(panel, `query does not parse: ${parsed.errors[0]?.message}`);
        continue;
      }
      walk(parsed.expr, (node) => {
        if (node.type === 'Call' && ['rate', 'irate'].includes(node.func)) {
          const arg = node.args[0];
          if (arg?.type !== 'MatrixSelector' || arg.rangeVariable !== '__rate_interval') {
            say(panel, `${node.func} without $__rate_interval in ${target.expr}`);
          }
        }
        // increase: the adaptive ranges, or an amount per window whose min step is that window.
        if (node.type === 'Call' && node.func === 'increase') {
          const arg = node.args[0];
          const adaptive =
            arg?.type === 'MatrixSelector' &&
            ['__rate_interval', '__range'].includes(arg.rangeVariable ?? '');
          const perWindow =
            arg?.type === 'MatrixSelector' &&
            !arg.rangeVariable &&
            target.interval !== undefined &&
            arg.range === parseDuration(target.interval);
          if (!adaptive && !perWindow)
            say(panel, `increase over a window that is not its min step in ${target.expr}`);
        }
      });
      if (parsed.unknownVariables.length > 0)
        say(panel, `unknown variables ${parsed.unknownVariables.join(', ')}`);
      const returned = outputLabels(parsed.expr);
      if (!returned) continue;
      for (const [, label] of (target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (!returned.includes(label!))
          say(panel, `legend uses {{${label}}}, not returned by ${target.expr}`);
      }
    }
  }
  return problems;
}
