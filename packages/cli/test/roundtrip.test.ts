import { emitters, loadDefinitions } from '@o11y/build';
import type { DashboardModel, PanelModel, QueryModel, RuleGroupModel, SourceLocation } from '@o11y/core';
import { init, parse, parseDashboardQuery, prettify, type ValueType } from '@o11y/promql';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';

/**
 * Issue 4's round trip over the whole sample organisation: every rule expression and every dashboard
 * query, as the builders print them, parses with the Prometheus parser and prettifies stably; where
 * Prometheus's printer keeps an expression on one line, ours printed exactly that line.
 */

interface Checked {
  readonly name: string;
  readonly source: SourceLocation;
  readonly expr: string;
  /** Dashboard variables the query may use; undefined for rule expressions, which use none. */
  readonly variables?: readonly string[];
  /** Value types the context accepts: a rule needs an instant vector, a graph also draws scalars. */
  readonly types: readonly ValueType[];
  /** Written through the `raw()` escape hatch: parsed, but not necessarily in canonical form. */
  readonly raw: boolean;
}

/** Loki (and any other typed non-Prometheus) queries are not PromQL; a query of no stated type is. */
function isPromQL(query: QueryModel, panel: PanelModel): boolean {
  const datasource = (query.datasource ?? panel.datasource) as { readonly type?: unknown } | undefined;
  return typeof datasource?.type !== 'string' || datasource.type === 'prometheus';
}

async function organisation() {
  const definitions = await loadDefinitions(repoRoot);
  const context = { root: repoRoot, definitions, profile: 'default', log: () => {} };
  const ruleGroups: RuleGroupModel[] = [];
  const dashboards: DashboardModel[] = [];
  for (const emitter of emitters) {
    const model = await emitter.model?.(definitions, context);
    ruleGroups.push(...(model?.ruleGroups ?? []));
    dashboards.push(...(model?.dashboards ?? []));
  }
  const rules: Checked[] = ruleGroups.flatMap((group) =>
    group.rules.map((rule) => ({
      name: `rule ${rule.name} (${group.name})`,
      source: rule.source,
      expr: rule.expr,
      types: ['vector'],
      raw: rule.raw === true,
    })),
  );
  const queries: Checked[] = dashboards.flatMap((dashboard) => {
    const variables = dashboard.variables.map((v) => v.name);
    return dashboard.panels.flatMap((panel) =>
      panel.queries
        .filter((query) => isPromQL(query, panel))
        .map((query) => ({
          name: `dashboard ${dashboard.uid}, panel "${panel.title}", query ${query.refId}`,
          source: query.source,
          expr: query.expr,
          variables,
          types: ['vector', 'scalar'],
          raw: query.raw === true,
        })),
    );
  });
  return { rules, queries };
}

await init();
const { rules, queries } = await organisation();

/** The PromQL the parser reads (variables replaced by same-length placeholders) and whether a placeholder is a duration. */
function parsed(checked: Checked) {
  if (!checked.variables) return { result: parse(checked.expr), text: checked.expr, durations: false };
  const result = parseDashboardQuery(checked.expr, checked.variables);
  expect(result.unknownVariables, checked.expr).toEqual([]);
  return {
    result,
    text: result.parsedText,
    durations: result.variables.some((use) => use.kind === 'duration'),
  };
}

function roundTrip(checked: Checked): void {
  const { result, text, durations } = parsed(checked);
  expect(result.ok ? [] : result.errors.map((e) => `${e.column}: ${e.message}`), checked.expr).toEqual([]);
  if (result.ok) expect(checked.types, `${checked.expr} is a ${result.type}`).toContain(result.type);
  const pretty = prettify(text);
  expect(prettify(pretty), 'prettify is not stable').toBe(pretty);
  // Prometheus's printer keeps short expressions on one line: there ours must have printed exactly it.
  // Not for raw strings (kept as written), nor where a duration placeholder (`$__interval` parsed as
  // `0999999999s`) is itself reformatted by the printer.
  if (!checked.raw && !durations && !pretty.includes('\n')) expect(text).toBe(pretty);
}

describe('round trip of every expression of the sample organisation', () => {
  it('finds rules and dashboard queries to check', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(queries.length).toBeGreaterThan(0);
    // What a reviewer sees in the run: how many expressions this file proves.
    console.info(`round trip: ${rules.length} rule expressions, ${queries.length} dashboard queries`);
  });

  for (const checked of [...rules, ...queries]) {
    it(`${checked.name} at ${checked.source.file}:${checked.source.line}`, () => roundTrip(checked));
  }
});
