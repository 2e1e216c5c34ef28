import { type Catalog, distinctValues, type Job, type MetricDeclaration } from '@o11y/catalog';
import {
  captureSource,
  DEFINITION,
  type Definition,
  type Duration,
  formatDuration,
  O11yError,
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

export interface ScrapeJobOptions {
  /** The catalogue job (its name and scrape interval) or a job name. */
  readonly job: Job | string;
  readonly targets: readonly string[];
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

/** A scrape job of the Prometheus config. */
export function scrapeJob(options: ScrapeJobOptions): ScrapeJob {
  const source = captureSource();
  const name = typeof options.job === 'string' ? options.job : options.job.name;
  if (options.targets.length === 0) {
    throw new O11yError(`scrape job ${name} has no targets`, { source, id: 'prometheus/no-targets' });
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
}

export interface PrometheusConfig extends Definition, PrometheusConfigOptions {}

/** The Prometheus server config: scrape jobs, rule files (every emitted rule file), Alertmanagers, remote write. */
export function prometheusConfig(options: PrometheusConfigOptions): PrometheusConfig {
  const source = captureSource();
  const seen = new Set<string>();
  for (const job of options.jobs) {
    if (seen.has(job.name)) {
      throw new O11yError(`scrape job ${job.name} is defined twice`, {
        source: job.source,
        id: 'prometheus/duplicate-job',
      });
    }
    seen.add(job.name);
  }
  for (const remote of options.remoteWrite ?? []) {
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
  return Object.freeze({ [DEFINITION]: KIND.config, source, ...options });
}

/**
 * Estimated series one target exposes: per metric, the product of its label budgets under its joint caps.
 * A label whose listed values are the names of the jobs exposing the metric (prom-client's `service`
 * default label) takes one value per target.
 */
export function seriesPerTarget(metrics: readonly MetricDeclaration[]): number {
  let total = 0;
  for (const metric of metrics) {
    const jobNames = new Set(metric.jobs.map((j) => j.name));
    const perTarget = (name: string): number => {
      const spec = metric.labels[name]!;
      return spec.kind === 'values' && spec.values.length > 1 && spec.values.every((v) => jobNames.has(v))
        ? 1
        : distinctValues(spec);
    };
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
  }
  return total;
}

/** Limits for a job from the catalogue: twice the estimated series per target (room for rollouts), label count + 2. */
export function jobLimits(
  catalog: Catalog,
  job: string,
): { sampleLimit: number; labelLimit: number } | undefined {
  const metrics = catalog.metrics.filter((m) => m.type !== 'recorded' && m.jobs.some((j) => j.name === job));
  if (metrics.length === 0) return undefined;
  const labels = Math.max(...metrics.flatMap((m) => m.series.map((s) => s.labels.length)));
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
        static_configs: [{ targets: [...job.targets], ...(job.labels && { labels: { ...job.labels } }) }],
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
