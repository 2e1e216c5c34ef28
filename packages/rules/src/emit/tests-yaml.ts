import path from 'node:path';
import { quote, toPromQL, walk } from '@o11y/catalog';
import { compareCodePoints, O11yError, type SourceLocation } from '@o11y/core';
import type { RuleGroup } from '../group.ts';
import type { ExpectedAlert, RuleTestCase, RuleTests } from '../promtool/suite.ts';
import type { AlertingRule } from '../rule.ts';
import { type Plan, ruleId } from './plan.ts';
import { sortedRecord } from './rule-yaml.ts';

/** What a passing test proves about a rule, for rule-test coverage. */
export type Claim = 'fires' | 'silent' | 'sampled';

export interface CoverageClaim {
  readonly rule: string;
  readonly claim: Claim;
}

export interface EmittedTestCase {
  readonly name: string;
  readonly source: SourceLocation;
  readonly covers: readonly CoverageClaim[];
}

export interface EmittedSuite {
  readonly file: string;
  readonly yaml: Record<string, unknown>;
  readonly cases: readonly EmittedTestCase[];
}

const LABEL_TEMPLATE = /\{\{\s*\$(labels|externalLabels)\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/** Renders the templates promtool tests can predict; anything else must be given in the test. */
function renderAnnotation(
  text: string,
  labels: Readonly<Record<string, string>>,
  external: Readonly<Record<string, string>>,
  fail: (message: string) => never,
): string {
  const rendered = text.replace(
    LABEL_TEMPLATE,
    (_, scope: string, name: string) => (scope === 'labels' ? labels[name] : external[name]) ?? '',
  );
  if (rendered.includes('{{')) fail(`cannot predict the rendering of "${text}"`);
  return rendered;
}

function seriesLabels(name: string | undefined, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort(compareCodePoints)
    .map((key) => `${key}=${quote(labels[key]!)}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

interface Loaded {
  readonly groups: readonly RuleGroup[];
  readonly groupOf: ReadonlyMap<AlertingRule | object, RuleGroup>;
}

function expectedAlert(
  rule: AlertingRule,
  group: RuleGroup,
  expected: ExpectedAlert,
  test: RuleTestCase,
): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const fail = (message: string): never => {
    throw new O11yError(`test "${test.name}", alert ${rule.name}: ${message}`, {
      source: test.source,
      id: 'promtool/expected-alert',
      hint: 'give the expected annotations in the test, or template annotations only with $labels and $externalLabels',
    });
  };
  const own = expected.labels ?? {};
  const fixed: Record<string, string> = { ...group.labels, ...rule.labels };
  for (const [name, value] of Object.entries(own)) {
    if (fixed[name] !== undefined && fixed[name] !== value) {
      fail(`label ${name} is set to "${fixed[name]}" by the rule, the test expects "${value}"`);
    }
  }
  const labels = { ...own, ...fixed };
  const external = test.externalLabels ?? {};
  const annotations =
    expected.annotations ??
    Object.fromEntries(
      Object.entries(rule.annotations).map(([key, text]) => [
        key,
        renderAnnotation(text, own, external, fail),
      ]),
    );
  return { exp_labels: sortedRecord(labels), exp_annotations: sortedRecord(annotations) };
}

function staticLabelsMatch(
  labels: Readonly<Record<string, string>>,
  expected: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(labels).every(([name, value]) => expected[name] === value);
}

function testCaseYaml(test: RuleTestCase, loaded: Loaded) {
  const covers: CoverageClaim[] = [];
  const claim = (rule: object, c: Claim) => {
    const group = loaded.groupOf.get(rule)!;
    covers.push({ rule: ruleId(group, group.rules.indexOf(rule as AlertingRule)), claim: c });
  };
  const alertTests = new Map<
    string,
    { eval_time: string; alertname: string; exp_alerts: ReturnType<typeof expectedAlert>[] }
  >();
  for (const expectation of test.alerts) {
    const { rule } = expectation;
    const group = loaded.groupOf.get(rule)!;
    const key = `${expectation.at}\u0000${rule.name}`;
    const entry = alertTests.get(key) ?? { eval_time: expectation.at, alertname: rule.name, exp_alerts: [] };
    entry.exp_alerts.push(...expectation.alerts.map((a) => expectedAlert(rule, group, a, test)));
    alertTests.set(key, entry);
  }
  for (const entry of alertTests.values()) {
    for (const group of loaded.groups) {
      for (const rule of group.rules) {
        if (rule.kind !== 'alert' || rule.name !== entry.alertname) continue;
        const static$ = { ...group.labels, ...rule.labels };
        const listed = entry.exp_alerts.some((a) => staticLabelsMatch(static$, a.exp_labels));
        claim(rule, listed ? 'fires' : 'silent');
      }
    }
  }
  const exprTests = test.exprs.map((expectation) => {
    // Expecting no sample proves nothing about a rule (a typo in its name passes too): only an
    // expression that must return samples covers the recording rules it selects.
    const asserted = expectation.samples.length > 0 ? walk(expectation.expr.node) : [];
    for (const node of asserted) {
      if (node.type !== 'selector') continue;
      for (const group of loaded.groups) {
        for (const rule of group.rules) {
          if (rule.kind !== 'record' || rule.name !== node.metric) continue;
          const fixed = { ...group.labels, ...rule.labels };
          const conflicts = node.matchers.some(
            (m) => m.op === '=' && fixed[m.label] !== undefined && fixed[m.label] !== m.value,
          );
          if (!conflicts) claim(rule, 'sampled');
        }
      }
    }
    const name = expectation.expr.node.type === 'selector' ? expectation.expr.node.metric : undefined;
    return {
      expr: toPromQL(expectation.expr),
      eval_time: expectation.at,
      exp_samples: expectation.samples.map((s) => ({ labels: seriesLabels(name, s.labels), value: s.value })),
    };
  });
  const yaml = {
    name: test.name,
    interval: test.interval,
    ...(test.externalLabels && { external_labels: sortedRecord(test.externalLabels) }),
    input_series: test.input.map((s) => ({ series: s.series, values: s.values })),
    ...(alertTests.size > 0 && { alert_rule_test: [...alertTests.values()] }),
    ...(exprTests.length > 0 && { promql_expr_test: exprTests }),
  };
  const unique = new Map(covers.map((c) => [`${c.rule}\u0000${c.claim}`, c]));
  return { yaml, covers: [...unique.values()] };
}

/**
 * Where each rule file is in the plan, made once per plan: each suite looked through every rule file,
 * 9 million steps for the 3,002 suites and 3,002 rule files of a thousand services.
 */
const positionsByPlan = new WeakMap<Plan, ReadonlyMap<string, number>>();

function ruleFilePositions(plan: Plan): ReadonlyMap<string, number> {
  let positions = positionsByPlan.get(plan);
  if (!positions) {
    positions = new Map(plan.ruleFiles.map((file, index) => [file.file, index] as const));
    positionsByPlan.set(plan, positions);
  }
  return positions;
}

/**
 * A promtool test file for a suite, and what each of its tests covers. `testOnly` names the rule files
 * whose whole self (Grafana-evaluated alerts included) is written under tests/rules/ for the tests.
 */
export function suiteYaml(
  suite: RuleTests,
  plan: Plan,
  testOnly: (file: string) => boolean = () => false,
): EmittedSuite {
  const files = [...new Set(suite.groups.map((g) => plan.fileOf.get(g) ?? g.file))];
  const testPath = `tests/${suite.file}.yml`;
  const positions = ruleFilePositions(plan);
  const loadedGroups = files
    .flatMap((file) => positions.get(file) ?? [])
    .sort((a, b) => a - b)
    .flatMap((position) => plan.ruleFiles[position]!.groups);
  const groupOf = new Map<object, RuleGroup>();
  for (const group of loadedGroups) for (const rule of group.rules) groupOf.set(rule, group);
  const loaded: Loaded = { groups: loadedGroups, groupOf };
  const cases = suite.tests.map((test) => ({ test, ...testCaseYaml(test, loaded) }));
  return {
    file: suite.file,
    yaml: {
      rule_files: files.map((f) =>
        path.posix.relative(
          path.posix.dirname(testPath),
          testOnly(f) ? `tests/rules/${f}.yml` : `rules/${f}.yml`,
        ),
      ),
      evaluation_interval: suite.evaluationInterval,
      group_eval_order: loadedGroups.map((g) => g.name),
      tests: cases.map((c) => c.yaml),
    },
    cases: cases.map((c) => ({ name: c.test.name, source: c.test.source, covers: c.covers })),
  };
}
