import path from 'node:path';
import { isRaw, keepLabels, toPromQL } from '@o11y/catalog';
import {
  type AlertEvaluator,
  type Artifact,
  type BuildContext,
  compareCodePoints,
  type Definition,
  DIST,
  type Diagnostic,
  type Emitter,
  type ProjectModel,
  type RuleGroupModel,
  type SourceLocation,
  stableStringify,
  toDiagnostics,
  toolPath,
  type WrittenArtifact,
} from '@o11y/core';
import { prometheusYaml, serverConfigs } from '../config/prometheus.ts';
import { prometheusPart, type RuleGroup } from '../group.ts';
import { KIND } from '../kinds.ts';
import type { LokiRule, LokiRuleGroup } from '../loki.ts';
import { timeCompression } from '../profile.ts';
import { promtoolCheck } from '../promtool/check-rules.ts';
import type { Rule } from '../rule.ts';
import { allRules, type Plan, plan } from './plan.ts';
import { groupYaml, sortedRecord } from './rule-yaml.ts';
import { sloArtifacts } from './slo-json.ts';
import { type EmittedSuite, suiteYaml } from './tests-yaml.ts';
import { toYaml } from './yaml.ts';

/** The Mimir ruler namespace of a rule file: its first folder, or the file itself. */
export function mimirNamespace(file: string): string {
  return file.split('/')[0]!;
}

/**
 * The external labels that tell the Prometheus servers apart (`cluster`, not a label every server sets
 * alike): each server evaluates its rules without them, but a central ruler reading every server's series
 * sees them.
 */
function serverLabels(p: Plan): readonly string[] {
  const servers = p.config ? serverConfigs(p.config) : [];
  const names = new Set(servers.flatMap((server) => Object.keys(server.config.externalLabels ?? {})));
  return [...names]
    .filter((name) => new Set(servers.map((s) => s.config.externalLabels?.[name])).size > 1)
    .sort(compareCodePoints);
}

/**
 * Rules whose Mimir copy still mixes the servers (`keepLabels` could not keep their labels through
 * `scalar()`, `vector()`, `absent()` or raw PromQL): one warning per rule file, at its first such rule.
 */
function centralRulerWarnings(p: Plan, alerting: AlertEvaluator): Diagnostic[] {
  const labels = serverLabels(p);
  if (labels.length === 0) return [];
  return p.ruleFiles.flatMap(({ file, groups }) => {
    const mixed = groups
      .flatMap((g) => prometheusPart(g, alerting)?.rules ?? [])
      .map((rule) => ({ rule, unkept: keepLabels(rule.expr.node, labels).unkept }))
      .filter(({ unkept }) => unkept.length > 0);
    if (mixed.length === 0) return [];
    const constructs = [...new Set(mixed.flatMap(({ unkept }) => unkept))].sort(compareCodePoints);
    return [
      {
        severity: 'warning' as const,
        id: 'rules/central-ruler',
        message: `in a central ruler (dist/${DIST.mimir.namespace(mimirNamespace(file))}), ${mixed
          .map(({ rule }) => rule.name)
          .join(
            ', ',
          )} of ${file} still ${mixed.length === 1 ? 'mixes' : 'mix'} every ${labels.join(', ')}: ${constructs.join(', ')} ${constructs.length === 1 ? 'has' : 'have'} no per-${labels[0]} form`,
        source: mixed[0]!.rule.source,
        hint: `evaluate ${mixed.length === 1 ? 'it' : 'them'} in each server's Prometheus (servers[].ruleFiles), not in the central ruler`,
      },
    ];
  });
}

/**
 * The rule files Prometheus loads (with their PrometheusRule and Mimir copies), without the alerts
 * Grafana alone evaluates; a file that lost some keeps its whole self under tests/rules/ for promtool.
 * The Mimir copy keeps the labels of `serverLabels` through every aggregation and matching, so that the
 * central ruler computes per server what each server computes alone.
 */
function* ruleFileArtifacts(p: Plan, context: BuildContext, alerting: AlertEvaluator): Generator<Artifact> {
  const dropIntervals = timeCompression(context.profile) !== undefined;
  const central = serverLabels(p);
  const namespaces = new Map<string, { groups: unknown[]; source: Artifact['source'] }>();
  for (const { file, groups } of p.ruleFiles) {
    const source = groups[0]!.source;
    const deployed = groups.flatMap((g) => prometheusPart(g, alerting) ?? []);
    if (deployed.length !== groups.length || deployed.some((g, i) => g !== groups[i])) {
      yield {
        path: DIST.prometheus.testRules(file),
        kind: 'promtool-test-rules',
        content: toYaml({ groups: groups.map((g) => groupYaml(g, { dropIntervals })) }),
        source,
      };
    }
    if (deployed.length === 0) continue;
    const yamlGroups = deployed.map((g) => groupYaml(g, { dropIntervals }));
    yield {
      path: DIST.prometheus.rules(file),
      kind: 'prometheus-rules',
      content: toYaml({ groups: yamlGroups }),
      source,
    };
    yield {
      path: DIST.prometheus.operator(file),
      kind: 'prometheus-operator-rule',
      content: toYaml({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: file.replaceAll('/', '-').replaceAll('.', '-'),
          labels: { 'app.kubernetes.io/managed-by': 'o11y' },
        },
        spec: { groups: yamlGroups },
      }),
      source,
    };
    const namespace = namespaces.get(mimirNamespace(file)) ?? { groups: [], source };
    namespace.groups.push(
      ...(central.length === 0
        ? yamlGroups
        : deployed.map((g) => groupYaml(g, { dropIntervals, keepLabels: central }))),
    );
    namespaces.set(mimirNamespace(file), namespace);
  }
  for (const [namespace, { groups, source }] of namespaces) {
    yield {
      path: DIST.mimir.namespace(namespace),
      kind: 'mimir-rules',
      content: toYaml({ namespace, groups }),
      source,
    };
  }
}

/** Loki's ruler files: one per namespace, in the Prometheus rule-file format Loki reads. */
function lokiArtifacts(p: Plan): Artifact[] {
  return p.lokiNamespaces.map(({ namespace, groups }) => ({
    path: DIST.loki.rules(namespace),
    kind: 'loki-rules',
    content: toYaml({ groups: groups.map((g) => groupYaml(g)) }),
    source: groups[0]!.source,
  }));
}

/** Every alert of the build, Prometheus's and Loki's: they go to the same Alertmanager. */
function alertsJson(p: Plan) {
  const prometheus = allRules(p)
    .filter(({ rule }) => rule.kind === 'alert')
    .map(({ group, rule }) => ({
      alert: rule.name,
      group: group.name,
      labels: sortedRecord({ ...group.labels, ...rule.labels }),
      keptLabels: [...rule.expr.labels],
      source: rule.source,
    }));
  const loki = p.lokiNamespaces.flatMap(({ groups }) =>
    groups.flatMap((group) =>
      group.rules.flatMap((rule) =>
        rule.kind === 'alert'
          ? [
              {
                alert: rule.name,
                group: group.name,
                labels: sortedRecord(rule.labels),
                keptLabels: [...(rule.keptLabels ?? [])],
                source: rule.source,
              },
            ]
          : [],
      ),
    ),
  );
  return [...prometheus, ...loki].sort(
    (a, b) => compareCodePoints(a.alert, b.alert) || compareCodePoints(a.group, b.group),
  );
}

/** Each Prometheus server's configuration file and the written rule files it loads (paths in dist/). */
function configFiles(p: Plan, written: ReadonlySet<string>) {
  return (p.config ? serverConfigs(p.config) : []).map((server) => ({
    server,
    configPath:
      server.name === undefined ? DIST.prometheus.config : DIST.prometheus.serverConfig(server.name),
    ruleFiles: p.ruleFiles
      .filter(({ file }) => written.has(DIST.prometheus.rules(file)) && server.ruleFiles(file))
      .map(({ file }) => DIST.prometheus.rules(file)),
  }));
}

/**
 * Every artifact of the rules, one at a time: the build writes them as they come, so the text of a
 * thousand services' rule files and tests is never in memory at once.
 */
function* emit(definitions: readonly Definition[], context: BuildContext): Generator<Artifact> {
  const p = plan(definitions, context.profile);
  const testOnly = new Set<string>();
  const written = new Set<string>();
  for (const artifact of ruleFileArtifacts(p, context, context.alerting ?? 'prometheus')) {
    if (artifact.kind === 'promtool-test-rules') testOnly.add(artifact.path);
    if (artifact.kind === 'prometheus-rules') written.add(artifact.path);
    yield artifact;
  }
  yield* lokiArtifacts(p);
  yield* sloArtifacts(p);
  const tests: { file: string; source: SourceLocation; cases: EmittedSuite['cases'] }[] = [];
  for (const planned of p.tests) {
    const suite = planned.suite();
    const emitted = suiteYaml(suite, p, (file) => testOnly.has(DIST.prometheus.testRules(file)));
    // Where the plan checked that no other suite writes.
    const file = DIST.prometheus.tests(planned.file);
    tests.push({ file, source: planned.source, cases: emitted.cases });
    yield {
      path: file,
      kind: 'promtool-tests',
      content: toYaml(emitted.yaml),
      source: planned.source,
    };
  }
  const anchor =
    p.ruleFiles[0]?.groups[0]?.source ??
    p.lokiNamespaces[0]?.groups[0]?.source ??
    p.config?.source ??
    p.tests[0]?.source;
  if (anchor) {
    yield {
      path: DIST.prometheus.alerts,
      kind: 'prometheus-alerts',
      content: stableStringify(alertsJson(p)),
      source: anchor,
    };
    yield {
      path: DIST.prometheus.index,
      kind: 'prometheus-index',
      content: stableStringify({
        // `o11y test` refuses a time-compressed build: its tests are those of the default profile.
        ...(timeCompression(context.profile) && { profile: context.profile }),
        rules: allRules(p).map(({ id, file, group, rule }) => ({
          id,
          file: DIST.prometheus.rules(file),
          group: group.name,
          kind: rule.kind,
          name: rule.name,
          labels: sortedRecord({ ...group.labels, ...rule.labels }),
          source: rule.source,
          ...(rule.untested !== undefined && { untested: rule.untested }),
        })),
        tests,
      }),
      source: anchor,
    };
  }
  if (p.config) {
    // Rule files left with no Prometheus-evaluated rule (alerting: 'grafana') are not written.
    for (const { server, configPath, ruleFiles } of configFiles(p, written)) {
      const relative = ruleFiles.map((file) => path.posix.relative(path.posix.dirname(configPath), file));
      yield {
        path: configPath,
        kind: 'prometheus-config',
        content: toYaml(prometheusYaml(server.config, relative, context.profile)),
        source: p.config.source,
      };
    }
  }
}

async function verify(
  artifacts: readonly WrittenArtifact[],
  dir: string,
  context: BuildContext,
): Promise<Diagnostic[]> {
  let promtool: string;
  try {
    promtool = toolPath('promtool', context.root);
  } catch (error) {
    return toDiagnostics(error);
  }
  const written = new Set(artifacts.filter((a) => a.kind === 'prometheus-rules').map((a) => a.path));
  const p = plan(context.definitions, context.profile, { tests: false });
  const ruleFiles = p.ruleFiles
    .map(({ file, groups }) => ({ path: DIST.prometheus.rules(file), groups }))
    .filter((file) => written.has(file.path));
  const configs = configFiles(p, written)
    .filter(({ configPath }) => artifacts.some((a) => a.path === configPath))
    .map(({ configPath, ruleFiles }) => ({ path: configPath, source: p.config!.source, ruleFiles }));
  // promtool's processes run on the other core while lint's analysis keeps this one busy (check config
  // takes seconds with a thousand scrape jobs). An expression that does not parse is promtool's error
  // too, at its rule: the same problem lint's promql/syntax reports, which the build keeps once.
  return [
    ...centralRulerWarnings(p, context.alerting ?? 'prometheus'),
    ...(await promtoolCheck(promtool, ruleFiles, configs, dir)),
  ];
}

/** A rule group as lint and diff read it; a Loki group's expressions are its LogQL as written. */
function groupModel(group: RuleGroup | LokiRuleGroup, file: string): RuleGroupModel {
  const prometheus = 'labels' in group ? group : undefined;
  return {
    name: group.name,
    file: `dist/${file}`,
    ...(group.interval !== undefined && { interval: group.interval }),
    ...(group.limit !== undefined && { limit: group.limit }),
    ...(prometheus?.queryOffset !== undefined && { queryOffset: prometheus.queryOffset }),
    ...(prometheus && Object.keys(prometheus.labels).length > 0 && { labels: prometheus.labels }),
    source: group.source,
    rules: group.rules.map((rule: Rule | LokiRule) => ({
      kind: rule.kind,
      name: rule.name,
      expr: typeof rule.expr === 'string' ? rule.expr : toPromQL(rule.expr),
      ...(rule.kind === 'alert' && rule.for !== undefined && { for: rule.for }),
      ...(rule.kind === 'alert' && rule.keepFiringFor !== undefined && { keepFiringFor: rule.keepFiringFor }),
      labels: rule.labels,
      annotations: rule.kind === 'alert' ? rule.annotations : {},
      source: rule.source,
      ...(typeof rule.expr !== 'string' && isRaw(rule.expr) && { raw: true }),
    })),
  };
}

function model(definitions: readonly Definition[], context: BuildContext): Partial<ProjectModel> {
  const p = plan(definitions, context.profile, { tests: false });
  const ruleGroups = p.ruleFiles.flatMap(({ file, groups }) =>
    groups.map((group) => groupModel(group, DIST.prometheus.rules(file))),
  );
  // Every server's jobs, each once: the servers of several clusters scrape jobs of the same names.
  const scrapeJobs: { job: string; scrapeInterval: string; source: SourceLocation }[] = [];
  const seen = new Set<string>();
  for (const server of p.config ? serverConfigs(p.config) : []) {
    for (const job of server.config.jobs) {
      if (seen.has(job.name)) continue;
      seen.add(job.name);
      scrapeJobs.push({
        job: job.name,
        scrapeInterval: job.scrapeInterval ?? server.config.scrapeInterval,
        source: job.source,
      });
    }
  }
  const lokiRuleGroups = p.lokiNamespaces.flatMap(({ namespace, groups }) =>
    groups.map((group) => groupModel(group, DIST.loki.rules(namespace))),
  );
  return { ruleGroups, scrapeJobs, lokiRuleGroups };
}

/** Prometheus rule files, promtool tests, prometheus.yml, PrometheusRule, Mimir and Loki ruler outputs; promtool checks. */
export const emitter: Emitter<Generator<Artifact>> = {
  name: 'prometheus',
  kinds: Object.values(KIND),
  testKinds: [KIND.ruleTests],
  emit,
  verify,
  model,
};
