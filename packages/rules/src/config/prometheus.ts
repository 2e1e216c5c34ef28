import { type Catalog, distinctValues, type Job, type MetricDeclaration } from '@o11y/catalog';
import {
  captureSource,
  DEFINITION,
  type Definition,
  type Diagnostic,
  type Duration,
  formatDuration,
  O11yError,
  O11yErrors,
  parseDuration,
  type SourceLocation,
} from '@o11y/core';
import { KIND } from '../kinds.ts';
import { TEST_PROFILE, timeCompression } from '../profile.ts';

export interface RelabelConfig {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly action?:
    | 'replace'
    | 'keep'
    | 'drop'
    | 'labelmap'
    | 'labeldrop'
    | 'labelkeep'
    | 'hashmod'
    | 'lowercase'
    | 'uppercase';
}

/** Targets that share labels (one static config): those of one environment, say. */
export interface TargetGroup {
  readonly targets: readonly string[];
  /**
   * Put on every series of these targets, `up` included: how a deployment dimension whose source is
   * `target` (catalog/dimensions) reaches the rules, so that `up == 0` of a staging target is staging's.
   */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ScrapeJobOptions {
  /** The catalogue job (its name and scrape interval) or a job name. */
  readonly job: Job | string;
  /** `host:port` of each target, or groups of them with labels of their own. */
  readonly targets: readonly string[] | readonly TargetGroup[];
  readonly scrapeInterval?: Duration;
  readonly scrapeTimeout?: Duration;
  readonly metricsPath?: string;
  readonly scheme?: 'http' | 'https';
  readonly params?: Readonly<Record<string, readonly string[]>>;
  /** Labels added to every target. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly relabel?: readonly RelabelConfig[];
  readonly metricRelabel?: readonly RelabelConfig[];
  /** Default: from the catalogue's label budgets for the job's metrics (see README). */
  readonly sampleLimit?: number;
  readonly labelLimit?: number;
  readonly labelNameLengthLimit?: number;
  readonly labelValueLengthLimit?: number;
}

export interface ScrapeJob extends ScrapeJobOptions {
  readonly name: string;
  readonly source: SourceLocation;
}

/** The job's targets as static configs: each group with the job's labels under its own. */
export function targetGroups(job: ScrapeJobOptions): readonly TargetGroup[] {
  const groups: readonly TargetGroup[] = job.targets.every((t) => typeof t === 'string')
    ? [{ targets: job.targets as readonly string[], labels: {} }]
    : (job.targets as readonly TargetGroup[]);
  return groups.map((group) => ({ targets: group.targets, labels: { ...job.labels, ...group.labels } }));
}

/** A scrape job of the Prometheus config. */
export function scrapeJob(options: ScrapeJobOptions): ScrapeJob {
  const source = captureSource();
  const name = typeof options.job === 'string' ? options.job : options.job.name;
  if (targetGroups(options).some((group) => group.targets.length === 0)) {
    throw new O11yError(`scrape job ${name} has a target group without targets`, {
      source,
      id: 'prometheus/no-targets',
      hint: 'give every target group at least one target',
    });
  }
  const scrapeInterval =
    options.scrapeInterval ?? (typeof options.job === 'string' ? undefined : options.job.scrapeInterval);
  if (
    scrapeInterval &&
    options.scrapeTimeout &&
    parseDuration(options.scrapeTimeout) > parseDuration(scrapeInterval)
  ) {
    throw new O11yError(`scrape job ${name}: the timeout is longer than the interval`, {
      source,
      id: 'prometheus/scrape-timeout',
    });
  }
  return Object.freeze({ ...options, ...(scrapeInterval && { scrapeInterval }), name, source });
}

export interface RemoteWrite {
  readonly name: string;
  readonly url: string;
  /** Basic auth; the password is read from a file at runtime, never written into the config. */
  readonly basicAuth?: { readonly username: string; readonly passwordFile: string };
  readonly bearerTokenFile?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PrometheusConfigOptions {
  readonly scrapeInterval: Duration;
  readonly evaluationInterval: Duration;
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** The catalogue: sample and label limits of each job follow from its metrics' label budgets. */
  readonly catalog?: Catalog;
  readonly jobs: readonly ScrapeJob[];
  /** `host:port` of each Alertmanager. */
  readonly alertmanagers: readonly string[];
  readonly remoteWrite?: readonly RemoteWrite[];
  /**
   * One Prometheus per cluster (or environment): each server gets its own prometheus.yml from this one
   * definition, with what differs between them. Without servers the build writes one prometheus.yml.
   */
  readonly servers?: readonly PrometheusServer[];
}

/** One Prometheus server of several: what it changes of the shared configuration. */
export interface PrometheusServer {
  /** Names its folder: dist/prometheus/servers/<name>/prometheus.yml. */
  readonly name: string;
  /** Added to (and overriding) the shared external labels: the cluster label of a multi-cluster setup. */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Its scrape jobs, when its targets differ from the shared `jobs`. */
  readonly jobs?: readonly ScrapeJob[];
  readonly alertmanagers?: readonly string[];
  readonly remoteWrite?: readonly RemoteWrite[];
  /** The rule files (as named by their groups' `file`) it evaluates; default: every rule file. */
  readonly ruleFiles?: (file: string) => boolean;
}

export interface PrometheusConfig extends Definition, PrometheusConfigOptions {}

/** One server's configuration: the shared options with its own applied over them. */
export interface ServerConfig {
  /** Undefined for the one server of a configuration without `servers`. */
  readonly name: string | undefined;
  readonly config: PrometheusConfig;
  readonly ruleFiles: (file: string) => boolean;
}

/** The servers a configuration deploys: one per declared server, or the configuration itself. */
export function serverConfigs(config: PrometheusConfig): readonly ServerConfig[] {
  if (!config.servers) return [{ name: undefined, config, ruleFiles: () => true }];
  return config.servers.map((server) => ({
    name: server.name,
    config: {
      ...config,
      externalLabels: { ...config.externalLabels, ...server.externalLabels },
      jobs: server.jobs ?? config.jobs,
      alertmanagers: server.alertmanagers ?? config.alertmanagers,
      ...((server.remoteWrite ?? config.remoteWrite) && {
        remoteWrite: server.remoteWrite ?? config.remoteWrite,
      }),
    },
    ruleFiles: server.ruleFiles ?? (() => true),
  }));
}

const SERVER_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Servers must be told apart in the central store: each needs a distinct name and, for every enabled
 * dimension the catalogue takes from `external_labels`, its own value of that label (a declared one
 * when the dimension lists its values). Two servers with the same cluster label would write one series.
 */
function checkServers(options: PrometheusConfigOptions, source: SourceLocation): void {
  const servers = options.servers;
  if (!servers) return;
  const problems: Diagnostic[] = [];
  const fail = (message: string, hint: string) =>
    problems.push({ severity: 'error', id: 'prometheus/servers', message, source, hint });
  if (servers.length === 0)
    fail('servers is empty', 'list each server, or leave servers out for one prometheus.yml');
  const names = new Set<string>();
  for (const server of servers) {
    if (!SERVER_NAME.test(server.name))
      fail(`server "${server.name}": not a folder name`, 'use lower-case letters, digits, ".", "_" and "-"');
    if (names.has(server.name))
      fail(`server ${server.name} is declared twice`, 'give each server its own name');
    names.add(server.name);
  }
  const fromExternalLabels = (options.catalog?.dimensions?.enabled ?? []).filter(
    (d) => d.source === 'external_labels',
  );
  for (const dimension of fromExternalLabels) {
    const seen = new Map<string, string>();
    for (const server of servers) {
      const value = server.externalLabels?.[dimension.label] ?? options.externalLabels?.[dimension.label];
      if (value === undefined) {
        fail(
          `server ${server.name} sets no ${dimension.label} external label`,
          `the ${dimension.name} dimension comes from external_labels: give the server externalLabels: { ${dimension.label}: '…' }`,
        );
        continue;
      }
      if (dimension.values && !dimension.values.includes(value))
        fail(
          `server ${server.name}: ${dimension.label}="${value}" is not a declared value of ${dimension.name}`,
          `declared: ${dimension.values.join(', ')}`,
        );
      const other = seen.get(value);
      if (other !== undefined)
        fail(
          `servers ${other} and ${server.name} both set ${dimension.label}="${value}"`,
          'their series would merge in the central store: give each server its own value',
        );
      seen.set(value, server.name);
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
}

/** Jobs of one name twice, and remote-write URLs that are not http(s) or carry credentials. */
function checkJobsAndRemoteWrite(
  jobs: readonly ScrapeJob[],
  remoteWrite: readonly RemoteWrite[] | undefined,
  source: SourceLocation,
): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) {
      throw new O11yError(`scrape job ${job.name} is defined twice`, {
        source: job.source,
        id: 'prometheus/duplicate-job',
      });
    }
    seen.add(job.name);
  }
  for (const remote of remoteWrite ?? []) {
    if (!/^https?:\/\//.test(remote.url)) {
      throw new O11yError(`remote write ${remote.name}: "${remote.url}" is not an http(s) URL`, {
        source,
        id: 'prometheus/remote-write',
      });
    }
    if (/\/\/[^/]*@/.test(remote.url)) {
      throw new O11yError(`remote write ${remote.name}: credentials in the URL`, {
        source,
        id: 'prometheus/remote-write-secret',
        hint: 'use basicAuth with passwordFile, or bearerTokenFile',
      });
    }
  }
}

/**
 * A dimension the catalogue takes from the targets must be given to every target group of a job whose
 * metrics declare its label (else its series, `up` included, are in no environment and its alerts take
 * the routes of none), and one of the values the dimension declares.
 */
function checkTargetDimensions(jobs: readonly ScrapeJob[], catalog: Catalog | undefined): void {
  const fromTargets = (catalog?.dimensions?.enabled ?? []).filter((d) => d.source === 'target');
  if (!catalog || fromTargets.length === 0) return;
  // The metrics each job's targets expose (`up` and the scrape's own series follow whatever the targets
  // carry), indexed once: a job is asked for a label all of them declare, where a metric shared with other
  // jobs (process_*) alone would not tell.
  const exposedBy = new Map<string, MetricDeclaration[]>();
  for (const metric of catalog.metrics) {
    if (metric.type === 'recorded' || metric.scrapeGenerated) continue;
    for (const { name } of metric.jobs) {
      const exposed = exposedBy.get(name) ?? [];
      exposed.push(metric);
      exposedBy.set(name, exposed);
    }
  }
  const problems: Diagnostic[] = [];
  for (const job of jobs) {
    const exposed = exposedBy.get(job.name) ?? [];
    const declared = (label: string) => exposed.length > 0 && exposed.every((m) => label in m.labels);
    for (const [index, group] of targetGroups(job).entries()) {
      for (const dimension of fromTargets) {
        const value = group.labels[dimension.label];
        const values = dimension.values ? `one of ${dimension.values.join(', ')}` : 'its value';
        if (value === undefined && declared(dimension.label)) {
          problems.push({
            severity: 'error',
            id: 'prometheus/dimension-value',
            message: `scrape job ${job.name}: target group ${index + 1} has no ${dimension.label} label, which every metric of the job declares and the ${dimension.name} dimension takes from the targets`,
            source: job.source,
            hint: `give the group labels: { ${dimension.label}: … } (${values})`,
          });
        } else if (value !== undefined && dimension.values && !dimension.values.includes(value)) {
          problems.push({
            severity: 'error',
            id: 'prometheus/dimension-value',
            message: `scrape job ${job.name}: ${dimension.label}="${value}" is not a declared value of ${dimension.name}`,
            source: job.source,
            hint: `use ${values}`,
          });
        }
      }
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
}

/** The Prometheus server config: scrape jobs, rule files (every emitted rule file), Alertmanagers, remote write. */
export function prometheusConfig(options: PrometheusConfigOptions): PrometheusConfig {
  const source = captureSource();
  checkJobsAndRemoteWrite(options.jobs, options.remoteWrite, source);
  for (const server of options.servers ?? [])
    checkJobsAndRemoteWrite(server.jobs ?? [], server.remoteWrite, source);
  checkServers(options, source);
  checkTargetDimensions(
    [...options.jobs, ...(options.servers ?? []).flatMap((s) => s.jobs ?? [])],
    options.catalog,
  );
  return Object.freeze({ [DEFINITION]: KIND.config, source, ...options });
}

/**
 * Estimated series one target exposes: per metric, the product of its label budgets under its joint caps.
 * A label whose listed values are the names of the jobs exposing the metric (prom-client's `service`
 * default label) takes one value per target.
 */
export function seriesPerTarget(metrics: readonly MetricDeclaration[]): number {
  let total = 0;
  for (const metric of metrics) total += metricSeriesPerTarget(metric);
  return total;
}

/**
 * One metric's series per target, the same for every job that exposes it: worked out once per metric,
 * as a process metric of every service is shared by a thousand jobs.
 */
const perTargetOfMetric = new WeakMap<MetricDeclaration, number>();

function metricSeriesPerTarget(metric: MetricDeclaration): number {
  const known = perTargetOfMetric.get(metric);
  if (known !== undefined) return known;
  const jobNames = new Set(metric.jobs.map((j) => j.name));
  const perTarget = (name: string): number => {
    const spec = metric.labels[name]!;
    return spec.kind === 'values' && spec.values.length > 1 && spec.values.every((v) => jobNames.has(v))
      ? 1
      : distinctValues(spec);
  };
  let total = 0;
  for (const series of metric.series) {
    const perLabel = new Map<string, number>();
    for (const name of series.labels) {
      if (name !== 'job' && name !== 'instance') perLabel.set(name, perTarget(name));
    }
    let product = [...perLabel.values()].reduce((a, b) => a * b, 1);
    for (const cap of metric.jointCaps) {
      if (!cap.labels.every((l) => perLabel.has(l))) continue;
      const uncapped = cap.labels.reduce((a, l) => a * perLabel.get(l)!, 1);
      // A cap over all targets shrinks with the labels fixed per target.
      const spread = cap.labels.reduce(
        (a, l) => a * (distinctValues(metric.labels[l]!) / perLabel.get(l)!),
        1,
      );
      const max = Math.ceil(cap.max / spread);
      if (uncapped > max) product = (product / uncapped) * max;
    }
    total += Math.ceil(product);
  }
  perTargetOfMetric.set(metric, total);
  return total;
}

/** The scraped metrics of each job of a catalogue, in catalogue order: found once, not once per job. */
const metricsByJob = new WeakMap<Catalog, ReadonlyMap<string, readonly MetricDeclaration[]>>();

function scrapedMetrics(catalog: Catalog, job: string): readonly MetricDeclaration[] {
  let byJob = metricsByJob.get(catalog);
  if (!byJob) {
    const index = new Map<string, MetricDeclaration[]>();
    for (const metric of catalog.metrics) {
      if (metric.type === 'recorded') continue;
      for (const name of new Set(metric.jobs.map((j) => j.name))) {
        const own = index.get(name);
        if (own) own.push(metric);
        else index.set(name, [metric]);
      }
    }
    byJob = index;
    metricsByJob.set(catalog, byJob);
  }
  return byJob.get(job) ?? [];
}

/** Limits for a job from the catalogue: twice the estimated series per target (room for rollouts), label count + 2. */
export function jobLimits(
  catalog: Catalog,
  job: string,
): { sampleLimit: number; labelLimit: number } | undefined {
  const metrics = scrapedMetrics(catalog, job);
  if (metrics.length === 0) return undefined;
  let labels = 0;
  for (const metric of metrics)
    for (const series of metric.series) labels = Math.max(labels, series.labels.length);
  return { sampleLimit: Math.ceil((seriesPerTarget(metrics) * 2) / 100) * 100, labelLimit: labels + 2 };
}

function relabelYaml(r: RelabelConfig): Record<string, unknown> {
  return {
    ...(r.sourceLabels && { source_labels: [...r.sourceLabels] }),
    ...(r.separator !== undefined && { separator: r.separator }),
    ...(r.regex !== undefined && { regex: r.regex }),
    ...(r.targetLabel !== undefined && { target_label: r.targetLabel }),
    ...(r.replacement !== undefined && { replacement: r.replacement }),
    ...(r.action !== undefined && { action: r.action }),
  };
}

/** prometheus.yml as an object; the `test` profile scrapes and evaluates every `TEST_PROFILE.interval`. */
export function prometheusYaml(
  config: PrometheusConfig,
  ruleFiles: readonly string[],
  profile: string,
): Record<string, unknown> {
  const fast = timeCompression(profile) !== undefined;
  const interval = (value: string | undefined) =>
    value === undefined ? undefined : formatDuration(parseDuration(value));
  return {
    global: {
      scrape_interval: fast ? TEST_PROFILE.interval : interval(config.scrapeInterval),
      evaluation_interval: fast ? TEST_PROFILE.interval : interval(config.evaluationInterval),
      ...(config.externalLabels && { external_labels: { ...config.externalLabels } }),
    },
    rule_files: [...ruleFiles],
    alerting: {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [...config.alertmanagers] }] }],
    },
    scrape_configs: config.jobs.map((job) => {
      const limits = config.catalog ? jobLimits(config.catalog, job.name) : undefined;
      const sampleLimit = job.sampleLimit ?? limits?.sampleLimit;
      const labelLimit = job.labelLimit ?? limits?.labelLimit;
      const scrapeInterval = fast ? undefined : interval(job.scrapeInterval);
      const timeout = fast ? undefined : interval(job.scrapeTimeout);
      return {
        job_name: job.name,
        ...(scrapeInterval && { scrape_interval: scrapeInterval }),
        ...(timeout && { scrape_timeout: timeout }),
        ...(job.metricsPath && { metrics_path: job.metricsPath }),
        ...(job.scheme && { scheme: job.scheme }),
        ...(job.params && {
          params: Object.fromEntries(Object.entries(job.params).map(([k, v]) => [k, [...v]])),
        }),
        ...(sampleLimit !== undefined && { sample_limit: sampleLimit }),
        ...(labelLimit !== undefined && { label_limit: labelLimit }),
        ...(job.labelNameLengthLimit !== undefined && { label_name_length_limit: job.labelNameLengthLimit }),
        ...(job.labelValueLengthLimit !== undefined && {
          label_value_length_limit: job.labelValueLengthLimit,
        }),
        static_configs: targetGroups(job).map((group) => ({
          targets: [...group.targets],
          ...(Object.keys(group.labels).length > 0 && { labels: { ...group.labels } }),
        })),
        ...(job.relabel && { relabel_configs: job.relabel.map(relabelYaml) }),
        ...(job.metricRelabel && { metric_relabel_configs: job.metricRelabel.map(relabelYaml) }),
      };
    }),
    ...(config.remoteWrite &&
      config.remoteWrite.length > 0 && {
        remote_write: config.remoteWrite.map((r) => ({
          name: r.name,
          url: r.url,
          ...(r.basicAuth && {
            basic_auth: { username: r.basicAuth.username, password_file: r.basicAuth.passwordFile },
          }),
          ...(r.bearerTokenFile && { authorization: { credentials_file: r.bearerTokenFile } }),
          ...(r.headers && { headers: { ...r.headers } }),
        })),
      }),
  };
}
