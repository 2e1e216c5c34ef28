import { abs, type InstantVector, type LabelMap, listedValues, quote, type Selector } from '@o11y/catalog';
import {
  captureSource,
  DEFINITION,
  type Definition,
  type Duration,
  formatDuration,
  isDefinition,
  kindOf,
  O11yError,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import type { RuleGroup } from '../group.ts';
import { KIND } from '../kinds.ts';
import type { AlertingRule } from '../rule.ts';
import type { InputSeries } from '../slo/sli.ts';
import { type ValuesPiece, values as valuesOf } from './values.ts';

/** An alert promtool must see: the labels its expression gives it (static labels are added for you). */
export interface ExpectedAlert {
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The annotations exactly as Prometheus renders them. Leave out to have them rendered from the rule's
   * templates, which works for `{{ $labels.x }}` and `{{ $externalLabels.x }}`; `$value` needs them here.
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AlertExpectation {
  readonly rule: AlertingRule;
  readonly at: string;
  /** Every alert of this rule firing at `at`; empty means it must not fire. */
  readonly alerts: readonly ExpectedAlert[];
}

export interface ExpectedSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ExprExpectation {
  readonly expr: InstantVector;
  readonly at: string;
  /** Every sample the expression returns at `at`; empty means no series (NaN is never a sample we expect). */
  readonly samples: readonly ExpectedSample[];
}

export interface RuleTestCase {
  readonly name: string;
  /** The scrape interval of the input series. promtool's default differs between versions, so it is always set. */
  readonly interval: string;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly input: readonly InputSeries[];
  readonly alerts: readonly AlertExpectation[];
  readonly exprs: readonly ExprExpectation[];
  readonly source: SourceLocation;
}

/** Anything whose rule groups a test suite loads: a rule group, or a definition that generates groups (an SLO). */
export interface RuleSource {
  readonly source: SourceLocation;
  readonly groups?: readonly RuleGroup[];
}

export interface RuleTests extends Definition {
  readonly name: string;
  /** The test file (without `.yml`) under dist/prometheus/tests/. */
  readonly file: string;
  readonly groups: readonly RuleGroup[];
  readonly evaluationInterval: string;
  readonly tests: readonly RuleTestCase[];
}

export interface RuleTestCaseOptions {
  readonly interval: Duration;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly input: readonly InputSeries[];
  readonly alerts?: readonly AlertExpectation[];
  readonly exprs?: readonly ExprExpectation[];
}

function duration(value: string, what: string, source: SourceLocation): string {
  try {
    return formatDuration(parseDuration(value));
  } catch (error) {
    throw new O11yError(`${what}: ${(error as Error).message}`, { source, id: 'promtool/duration' });
  }
}

/** One promtool test: input series, then alerts and expression values expected at given times. */
export function testCase(name: string, options: RuleTestCaseOptions): RuleTestCase {
  return makeTestCase(name, options, captureSource());
}

export function makeTestCase(
  name: string,
  options: RuleTestCaseOptions,
  source: SourceLocation,
): RuleTestCase {
  if (name.trim() === '')
    throw new O11yError('a test case needs a name', { source, id: 'promtool/test-name' });
  const alerts = options.alerts ?? [];
  const exprs = options.exprs ?? [];
  if (alerts.length === 0 && exprs.length === 0) {
    throw new O11yError(`test "${name}" checks nothing`, {
      source,
      id: 'promtool/empty-test',
      hint: 'expect alerts with fires()/silent() or values with samples()',
    });
  }
  return Object.freeze({
    name,
    interval: duration(options.interval, `test "${name}" interval`, source),
    ...(options.externalLabels && { externalLabels: options.externalLabels }),
    input: options.input,
    alerts: alerts.map((a) => ({ ...a, at: duration(a.at, `test "${name}" alert time`, source) })),
    exprs: exprs.map((e) => ({ ...e, at: duration(e.at, `test "${name}" eval time`, source) })),
    source,
  });
}

/**
 * An input series of a catalogue metric with the given labels (checked against the metric's labels and
 * listed values) and promtool values: `series(httpRequests, { service: 'checkout' }, linear(0, 10, 60))`.
 */
export function series<M extends LabelMap>(
  metric: Selector<M>,
  labels: { readonly [K in keyof M]?: M[K] },
  ...pieces: readonly (ValuesPiece | string)[]
): InputSeries {
  // Only an error needs the caller's line, and it is thrown in this call: the stack is then the same.
  const info = metric.series;
  const all: Record<string, string> = {};
  for (const matcher of metric.node.matchers) if (matcher.op === '=') all[matcher.label] = matcher.value;
  for (const [name, value] of Object.entries(labels as Record<string, string | undefined>)) {
    if (value === undefined) continue;
    if (!info.labels.includes(name)) {
      throw new O11yError(`metric ${info.name} has no label "${name}"`, {
        source: captureSource(),
        id: 'promtool/series-label',
        hint: `its labels are ${info.labels.join(', ')}`,
      });
    }
    const spec = info.specs[name];
    if (spec?.kind === 'values' && !listedValues(spec).has(value)) {
      throw new O11yError(`label ${name} of ${info.name} has no value "${value}"`, {
        source: captureSource(),
        id: 'promtool/series-label',
        hint: `declared values: ${spec.values.join(', ')}`,
      });
    }
    all[name] = value;
  }
  const pairs = Object.keys(all)
    .sort()
    .map((name) => `${name}=${quote(all[name]!)}`);
  const text = pairs.length === 0 ? info.name : `${info.name}{${pairs.join(',')}}`;
  const rendered = pieces.map((p) => (typeof p === 'string' ? p : valuesOf(p)));
  if (rendered.length === 0)
    throw new O11yError(`series ${text} has no values`, { source: captureSource(), id: 'promtool/values' });
  return inputSeries(text, rendered.join(' '));
}

/**
 * Every distinct input series made in this process, by series text then values: the input itself while
 * a text has one, a map by values from its second. A suite's cases feed the same inputs again and again
 * (every case of a service, its healthy traffic): at 1,000 services, 212,000 inputs held 39,000 distinct
 * texts, and making each once took the definitions' live heap from 298 MB to 259 MB; most texts have one
 * values, and a map for each held 6 MB more.
 */
const madeInputs = new Map<string, InputSeries | Map<string, InputSeries>>();

/** The one frozen input series of this text and these values. */
function inputSeries(series: string, values: string): InputSeries {
  const made = madeInputs.get(series);
  if (made === undefined) {
    const input = Object.freeze({ series, values });
    madeInputs.set(series, input);
    return input;
  }
  if (!(made instanceof Map)) {
    if (made.values === values) return made;
    const input = Object.freeze({ series, values });
    madeInputs.set(series, new Map([made, input].map((each) => [each.values, each])));
    return input;
  }
  let input = made.get(values);
  if (!input) {
    input = Object.freeze({ series, values });
    made.set(values, input);
  }
  return input;
}

/** The alert fires at `at` with exactly these alerts (one per series its expression returns). */
export function fires(
  rule: AlertingRule,
  at: Duration,
  alerts: readonly ExpectedAlert[] = [{}],
): AlertExpectation {
  if (alerts.length === 0) {
    throw new O11yError(`fires(${rule.name}) lists no alert`, {
      source: captureSource(),
      hint: 'use silent() instead',
    });
  }
  return { rule, at, alerts };
}

/** The alert does not fire at `at` (nor is it pending-and-reported: promtool only reports firing alerts). */
export function silent(rule: AlertingRule, at: Duration): AlertExpectation {
  return { rule, at, alerts: [] };
}

/** The expression returns exactly these samples at `at` (an empty list: no series at all). */
export function samples(
  expr: InstantVector,
  at: Duration,
  expected: readonly ExpectedSample[],
): ExprExpectation {
  return { expr, at, samples: expected };
}

export interface RuleTestsOptions {
  /** The rule groups (or SLOs) under test; their rule files are loaded. */
  readonly rules: readonly (RuleGroup | RuleSource)[];
  /** Test file name (without `.yml`); default: the suite name. */
  readonly file?: string;
  /** How often promtool evaluates every group in the test (group intervals are not used by promtool). */
  readonly evaluationInterval?: Duration;
  readonly tests: readonly RuleTestCase[];
}

/** A promtool unit-test file: the rule files under test and its test cases. */
export function ruleTests(name: string, options: RuleTestsOptions): RuleTests {
  return makeRuleTests(name, options, captureSource());
}

function groupsOf(entry: RuleGroup | RuleSource): readonly RuleGroup[] {
  if (isDefinition(entry) && kindOf(entry) === KIND.group) return [entry as RuleGroup];
  return (entry as RuleSource).groups ?? [];
}

export function makeRuleTests(name: string, options: RuleTestsOptions, source: SourceLocation): RuleTests {
  const file = options.file ?? name;
  if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(file)) {
    throw new O11yError(`rule tests ${name}: file "${file}" is not a plain relative name`, {
      source,
      id: 'promtool/test-file',
    });
  }
  const groups = [...new Set(options.rules.flatMap(groupsOf))];
  if (groups.length === 0) {
    throw new O11yError(`rule tests ${name} load no rules`, {
      source,
      id: 'promtool/no-rules',
      hint: 'list the rule groups under test',
    });
  }
  const names = new Set<string>();
  for (const test of options.tests) {
    if (names.has(test.name)) {
      throw new O11yError(`rule tests ${name} has two tests named "${test.name}"`, {
        source: test.source,
        id: 'promtool/duplicate-test',
        hint: 'test names identify results in the report and in JUnit',
      });
    }
    names.add(test.name);
    const loaded = new Set(groups.flatMap((g) => g.rules));
    for (const expectation of test.alerts) {
      if (!loaded.has(expectation.rule)) {
        throw new O11yError(
          `test "${test.name}" expects alert ${expectation.rule.name}, whose group the suite does not load`,
          {
            source: test.source,
            id: 'promtool/rule-not-loaded',
            hint: 'add its rule group to rules',
          },
        );
      }
    }
  }
  return Object.freeze({
    [DEFINITION]: KIND.ruleTests,
    source,
    name,
    file,
    groups: Object.freeze(groups),
    evaluationInterval: duration(
      options.evaluationInterval ?? '1m',
      `rule tests ${name} evaluationInterval`,
      source,
    ),
    tests: Object.freeze([...options.tests]),
  });
}

/**
 * The expression returns one series with these labels whose value is within `tolerance` of `value`:
 * for rates and ratios, which promtool cannot compare exactly (its fuzzy_compare allows one ulp).
 * NaN never passes.
 */
export function near(
  expr: InstantVector,
  at: Duration,
  expected: { readonly labels: Readonly<Record<string, string>>; readonly value: number },
  tolerance = Math.abs(expected.value) * 1e-6 || 1e-12,
): ExprExpectation {
  const check = abs(expr.minus(expected.value)).lte(tolerance).bool();
  return { expr: check, at, samples: [{ labels: expected.labels, value: 1 }] };
}
