import { compareCodePoints, formatSource, type SourceLocation, type TestCaseResult } from '@o11y/core';
import { literalAlternatives, type Matcher } from '../matchers.ts';
import type { AllowedUnrouted } from './cases.ts';
import { type RouteNode, type RoutingConfig, receiversFor } from './routing-tree.ts';

/** One alert of `dist/prometheus/alerts.json`, as the rules emitter writes it. */
export interface AlertEntry {
  readonly alert: string;
  readonly group: string;
  /** The rule's static labels; values may be templates such as `{{ $labels.service }}`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels the alert's expression keeps, whose values are only known at run time. */
  readonly keptLabels: readonly string[];
  readonly source: SourceLocation;
}

/** Stands for "any value no matcher in the routing tree names". */
const OTHER = '\u0000other';
const MAX_COMBINATIONS = 10_000;

function allMatchers(route: RouteNode): Matcher[] {
  return [...route.matchers, ...route.routes.flatMap(allMatchers)];
}

/**
 * The values worth trying for each label: every literal the routing tree compares it with, plus one
 * value none of them names. Each distinct routing outcome is reached by one of these.
 */
function candidateValues(config: RoutingConfig): Map<string, string[]> {
  const values = new Map<string, Set<string>>();
  for (const matcher of allMatchers(config.root)) {
    const literals = matcher.operator.endsWith('~') ? literalAlternatives(matcher.value) : [matcher.value];
    const set = values.get(matcher.name) ?? new Set<string>();
    for (const literal of literals ?? []) set.add(literal);
    values.set(matcher.name, set);
  }
  return new Map([...values].map(([name, set]) => [name, [...set, OTHER].sort(compareCodePoints)]));
}

function* assignments(
  labels: readonly string[],
  candidates: Map<string, string[]>,
): Generator<Record<string, string>> {
  const [first, ...rest] = labels;
  if (first === undefined) {
    yield {};
    return;
  }
  for (const value of candidates.get(first)!) {
    for (const tail of assignments(rest, candidates)) yield { [first]: value, ...tail };
  }
}

function describe(assignment: Record<string, string>): string {
  const parts = Object.entries(assignment).map(([name, value]) =>
    value === OTHER ? `${name}=<any other value>` : `${name}="${value}"`,
  );
  return parts.length > 0 ? ` when ${parts.join(', ')}` : '';
}

/** The first label values under which the alert reaches only the default receiver or nobody. */
function unroutedCase(
  alert: AlertEntry,
  config: RoutingConfig,
  candidates: Map<string, string[]>,
): string | undefined {
  const known: Record<string, string> = { alertname: alert.alert };
  const unknown = new Set(alert.keptLabels);
  for (const [name, value] of Object.entries(alert.labels)) {
    if (value.includes('{{')) unknown.add(name);
    else {
      known[name] = value;
      unknown.delete(name);
    }
  }
  unknown.delete('alertname');
  // A label no matcher mentions cannot change where the alert goes.
  const labels = [...unknown].filter((label) => candidates.has(label)).sort(compareCodePoints);
  const combinations = labels.reduce((n, label) => n * candidates.get(label)!.length, 1);
  if (combinations > MAX_COMBINATIONS) {
    return ` cannot be checked: ${combinations} combinations of ${labels.join(', ')} exceed ${MAX_COMBINATIONS}`;
  }
  const fallback = config.root.receiver;
  for (const assignment of assignments(labels, candidates)) {
    const receivers = receiversFor(config, { ...known, ...assignment });
    if (receivers.every((r) => r === fallback)) {
      return ` reaches only the default receiver "${fallback}"${describe(assignment)}`;
    }
    if (receivers.every((r) => !config.notifies.get(r))) {
      return ` reaches only receivers without integrations (${[...new Set(receivers)].join(', ')})${describe(assignment)}`;
    }
  }
  return undefined;
}

/**
 * Every alert the rules produce must reach a receiver other than the default one for every value its
 * kept labels can take, unless the tests declare it with allowDefaultRoute. A declaration that names no
 * alert, or an alert that is routed after all, fails too, so declarations do not go stale.
 */
export function checkRoutingCoverage(
  alerts: readonly AlertEntry[],
  config: RoutingConfig,
  allowed: readonly AllowedUnrouted[],
): TestCaseResult[] {
  const candidates = candidateValues(config);
  const allowances = new Map(allowed.map((a) => [a.alert, a]));
  const results: TestCaseResult[] = [];
  const seen = new Set<string>();
  const sorted = [...alerts].sort(
    (a, b) => compareCodePoints(a.alert, b.alert) || compareCodePoints(a.group, b.group),
  );
  for (const alert of sorted) {
    seen.add(alert.alert);
    const unrouted = unroutedCase(alert, config, candidates);
    const allowance = allowances.get(alert.alert);
    const name = `coverage: ${alert.alert} (${alert.group}, ${formatSource(alert.source)})`;
    if (unrouted && !allowance) {
      results.push({
        name,
        passed: false,
        failure: {
          severity: 'error',
          message: `alert ${alert.alert}${unrouted}`,
          source: alert.source,
          id: 'alertmanager/unrouted-alert',
          hint: 'add a route for it, give the rule the labels a route matches, or declare it with allowDefaultRoute()',
        },
      });
    } else if (!unrouted && allowance) {
      results.push({
        name,
        passed: false,
        failure: {
          severity: 'error',
          message: `allowDefaultRoute("${alert.alert}") is stale: the alert is routed`,
          source: allowance.source,
          id: 'alertmanager/stale-allowance',
          hint: 'remove the declaration',
        },
      });
    } else results.push({ name, passed: true });
  }
  for (const allowance of allowed) {
    if (seen.has(allowance.alert)) continue;
    results.push({
      name: `coverage: allowDefaultRoute(${allowance.alert})`,
      passed: false,
      failure: {
        severity: 'error',
        message: `allowDefaultRoute("${allowance.alert}") names no alert the rules produce`,
        source: allowance.source,
        id: 'alertmanager/stale-allowance',
        hint: 'remove the declaration or fix the alert name',
      },
    });
  }
  return results;
}
