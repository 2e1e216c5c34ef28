import {
  compareCodePoints,
  type Definition,
  type Diagnostic,
  formatSource,
  kindOf,
  O11yError,
  O11yErrors,
  type SourceLocation,
} from '@o11y/core';
import type { PrometheusConfig } from '../config/prometheus.ts';
import type { RuleGroup } from '../group.ts';
import { KIND } from '../kinds.ts';
import type { LokiRuleGroup } from '../loki.ts';
import { compressDuration, type TimeCompression, timeCompression } from '../profile.ts';
import type { RuleTests } from '../promtool/suite.ts';
import type { Rule } from '../rule.ts';
import { compressedSlo, generatedTestsFile, type Slo } from '../slo/slo.ts';

export interface RuleFile {
  readonly file: string;
  readonly groups: readonly RuleGroup[];
}

/**
 * A test file of the build: a suite written in the definitions, or an SLO's generated suite, which is
 * made when its file is (`suite()`) and not kept: at 1,000 services the SLOs' suites are 44 MB, which
 * the build's main thread kept through the whole rules' emit.
 */
export interface PlannedSuite {
  /** The definition the suite is of: a suite listed twice is one suite. */
  readonly of: RuleTests | Slo;
  readonly file: string;
  readonly source: SourceLocation;
  readonly suite: () => RuleTests;
}

/** Every definition of this package, sorted into rule files, test files and the Prometheus config. */
export interface Plan {
  readonly ruleFiles: readonly RuleFile[];
  /** None in a time-compressed profile: the tests prove the real-time rules of the default profile. */
  readonly tests: readonly PlannedSuite[];
  readonly config: PrometheusConfig | undefined;
  readonly slos: readonly Slo[];
  /** Where each group lives. */
  readonly fileOf: ReadonlyMap<RuleGroup, string>;
  /** Loki's rule groups by ruler namespace, namespaces in code-point order. */
  readonly lokiNamespaces: readonly {
    readonly namespace: string;
    readonly groups: readonly LokiRuleGroup[];
  }[];
}

/** The stable id of a rule in reports and in dist/prometheus/index.json: `group[index]`. */
export function ruleId(group: RuleGroup, index: number): string {
  return `${group.name}[${index}]`;
}

export function allRules(plan: Plan): Array<{ id: string; file: string; group: RuleGroup; rule: Rule }> {
  return plan.ruleFiles.flatMap(({ file, groups }) =>
    groups.flatMap((group) =>
      group.rules.map((rule, index) => ({ id: ruleId(group, index), file, group, rule })),
    ),
  );
}

/** A rule group whose alerts wait (`for`) and keep firing (`keep_firing_for`) for compressed durations. */
function compressedGroup(group: RuleGroup, compression: TimeCompression): RuleGroup {
  const rules = group.rules.map(
    (rule): Rule =>
      rule.kind === 'alert'
        ? Object.freeze({
            ...rule,
            ...(rule.for !== undefined && { for: compressDuration(rule.for, compression) }),
            ...(rule.keepFiringFor !== undefined && {
              keepFiringFor: compressDuration(rule.keepFiringFor, compression),
            }),
          })
        : rule,
  );
  return Object.freeze({ ...group, rules: Object.freeze(rules) });
}

/** `make` applied once per object, so that a definition listed twice stays one definition. */
function once<T extends object>(make: (definition: T) => T): (definition: T) => T {
  const made = new Map<T, T>();
  return (definition) => {
    const result = made.get(definition) ?? make(definition);
    made.set(definition, result);
    return result;
  };
}

/**
 * The plan of a build profile; a time-compressed one (see profile.ts) compresses SLOs and alerts' waits.
 * With `tests: false` it holds no test suites, and SLOs do not generate theirs: for readers of the rules only.
 */
export function plan(
  definitions: readonly Definition[],
  profile = 'default',
  { tests: withTests = true }: { readonly tests?: boolean } = {},
): Plan {
  const compression = timeCompression(profile);
  const deployedGroup = once((group: RuleGroup) =>
    compression ? compressedGroup(group, compression) : group,
  );
  const deployedSlo = once((slo: Slo) => (compression ? compressedSlo(slo, compression) : slo));
  const groups: RuleGroup[] = [];
  const tests: PlannedSuite[] = [];
  const slos: Slo[] = [];
  const configs: PrometheusConfig[] = [];
  const lokiGroups: LokiRuleGroup[] = [];
  for (const definition of definitions) {
    switch (kindOf(definition)) {
      case KIND.group:
        groups.push(deployedGroup(definition as RuleGroup));
        break;
      case KIND.slo: {
        const slo = deployedSlo(definition as Slo);
        slos.push(slo);
        groups.push(...slo.groups.map(deployedGroup));
        const file = withTests ? generatedTestsFile(slo) : undefined;
        // Generated on each read: made when its file is written.
        if (file) tests.push({ of: slo, file, source: slo.source, suite: () => slo.tests! });
        break;
      }
      case KIND.ruleTests:
        if (withTests && !compression) {
          const suite = definition as RuleTests;
          tests.push({ of: suite, file: suite.file, source: suite.source, suite: () => suite });
        }
        break;
      case KIND.config:
        configs.push(definition as PrometheusConfig);
        break;
      case KIND.lokiGroup:
        lokiGroups.push(definition as LokiRuleGroup);
        break;
    }
  }
  const problems: Diagnostic[] = [];
  const byName = new Map<string, RuleGroup>();
  for (const group of groups) {
    const earlier = byName.get(group.name);
    if (earlier && earlier !== group) {
      problems.push(
        new O11yError(`two rule groups are named ${group.name}`, {
          source: group.source,
          id: 'rules/duplicate-group',
          hint: `the other is at ${formatSource(earlier.source)}; group names must be unique (Mimir namespaces and PrometheusRules merge files)`,
        }).toDiagnostic(),
      );
    }
    byName.set(group.name, group);
  }
  const testFiles = new Map<string, PlannedSuite>();
  for (const suite of tests) {
    const earlier = testFiles.get(suite.file);
    if (earlier && earlier.of !== suite.of) {
      problems.push(
        new O11yError(`two rule test suites write tests/${suite.file}.yml`, {
          source: suite.source,
          id: 'promtool/duplicate-test-file',
          hint: `the other is at ${formatSource(earlier.source)}; give one a different file`,
        }).toDiagnostic(),
      );
    }
    testFiles.set(suite.file, suite);
  }
  const lokiNamespaces = new Map<string, LokiRuleGroup[]>();
  for (const group of lokiGroups) {
    const namespace = lokiNamespaces.get(group.namespace) ?? [];
    const earlier = namespace.find((g) => g.name === group.name);
    if (earlier) {
      problems.push(
        new O11yError(`two Loki rule groups of namespace ${group.namespace} are named ${group.name}`, {
          source: group.source,
          id: 'rules/duplicate-group',
          hint: `the other is at ${formatSource(earlier.source)}; Loki's ruler keeps one group per name in a namespace`,
        }).toDiagnostic(),
      );
    }
    lokiNamespaces.set(group.namespace, [...namespace, group]);
  }
  if (configs.length > 1) {
    problems.push(
      new O11yError('more than one Prometheus config is defined', {
        source: configs[1]!.source,
        id: 'prometheus/duplicate-config',
        hint: `the first is at ${formatSource(configs[0]!.source)}; define one prometheusConfig()`,
      }).toDiagnostic(),
    );
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  const files = new Map<string, RuleGroup[]>();
  const fileOf = new Map<RuleGroup, string>();
  for (const group of byName.values()) {
    files.set(group.file, [...(files.get(group.file) ?? []), group]);
    fileOf.set(group, group.file);
  }
  const ruleFiles = [...files.entries()]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([file, fileGroups]) => ({ file, groups: fileGroups }));
  return {
    ruleFiles,
    tests: [...testFiles.values()].sort((a, b) => compareCodePoints(a.file, b.file)),
    config: configs[0],
    slos,
    fileOf,
    lokiNamespaces: [...lokiNamespaces]
      .sort(([a], [b]) => compareCodePoints(a, b))
      .map(([namespace, groups]) => ({ namespace, groups })),
  };
}
