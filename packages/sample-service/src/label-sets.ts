import type { LabelSpec, MetricDeclaration } from '@o11y/catalog';

/** Labels Prometheus attaches to every series of a target, and those a metric type adds itself. */
const NOT_EXPOSED = new Set(['job', 'instance', 'le', 'quantile']);

/** At most this many distinct values of an open-ended label (route, device, datname) per target. */
export const OPEN_VALUES_PER_TARGET = 4;

/** Where a target sits in the simulated estate; realistic values of open-ended labels depend on it. */
export interface EstateContext {
  /** The scrape job and the index of this target among the job's targets. */
  readonly job: string;
  readonly index: number;
  /** Services that keep data in the datastore this target is (for exporters) or the service itself. */
  readonly services: readonly string[];
}

/**
 * Realistic values of open-ended labels, by label name: what the real exporters and libraries print
 * (node_exporter's `cpu`, postgres_exporter's `datname`, redis_exporter's `cmd`). Labels without an
 * entry get `<label>-<n>`.
 */
const OPEN_LABEL_VALUES: Readonly<
  Record<string, (context: EstateContext, metric: string) => readonly string[]>
> = {
  cpu: () => ['0', '1', '2', '3'],
  device: (_, metric) =>
    metric.startsWith('node_network_')
      ? ['eth0', 'lo']
      : metric.startsWith('node_disk_')
        ? ['nvme0n1', 'nvme1n1']
        : ['/dev/nvme0n1p1', '/dev/nvme1n1', 'tmpfs'],
  mountpoint: () => ['/', '/var/lib/data', '/run'],
  nodename: (context) => [`node-${context.index + 1}`],
  release: () => ['6.1.0-28-amd64'],
  version: () => ['#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)'],
  domainname: () => ['(none)'],
  datname: (context) => context.services,
  usename: (context) => context.services,
  application_name: (context) => context.services,
  datid: (context) => context.services.map((_, i) => String(16384 + i)),
  backend_type: () => ['client backend'],
  wait_event_type: () => ['Client'],
  wait_event: () => ['ClientRead'],
  cmd: () => ['get', 'set', 'del', 'expire'],
  db: () => ['db0'],
  table: (context) => context.services.map((s) => s.replaceAll('-', '_')),
  breaker: () => ['database', 'cache'],
};

/**
 * One series' labels and its share of the metric's activity. Shares split over listed values only:
 * each row of open-ended values (each CPU, each database) has the whole activity of its own.
 */
export interface LabelSet {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
  /** Every listed-values label is at its first, usual value (the state a one-hot gauge marks with 1). */
  readonly usual: boolean;
}

/** The share of a values label's first value: by the catalogue's convention its usual case (idle, hit, ok). */
const USUAL_SHARE = 0.95;

function weightsOf(values: readonly string[]): number[] {
  if (values.length === 1) return [1];
  return values.map((_, i) => (i === 0 ? USUAL_SHARE : (1 - USUAL_SHARE) / (values.length - 1)));
}

function openValues(name: string, spec: LabelSpec, context: EstateContext, metric: string): string[] {
  const limit = spec.kind === 'cardinality' ? Math.min(spec.cardinality, OPEN_VALUES_PER_TARGET) : 0;
  const known = OPEN_LABEL_VALUES[name]?.(context, metric);
  const values = known ?? Array.from({ length: limit }, (_, i) => `${name}-${i + 1}`);
  return values.slice(0, Math.max(1, limit));
}

/** The labels a target writes itself for a metric: declared ones, less target and type labels and those set elsewhere. */
export function exposedLabels(declaration: MetricDeclaration, setElsewhere: ReadonlySet<string>): string[] {
  return Object.keys(declaration.labels).filter((name) => !NOT_EXPOSED.has(name) && !setElsewhere.has(name));
}

/**
 * The series a target exposes for a metric: every combination of the listed values (the first value
 * weighted as the usual case), times a few rows of realistic values for the open-ended labels, which
 * vary together (datname, usename and application_name name the same service) rather than crosswise.
 */
export function labelSets(
  declaration: MetricDeclaration,
  setElsewhere: ReadonlySet<string>,
  context: EstateContext,
): LabelSet[] {
  const names = exposedLabels(declaration, setElsewhere);
  let sets: LabelSet[] = [{ labels: {}, weight: 1, usual: true }];
  const open: Array<[string, string[]]> = [];
  for (const name of names) {
    const spec = declaration.labels[name]!;
    if (spec.kind === 'values') {
      const weights = weightsOf(spec.values);
      sets = sets.flatMap((set) =>
        spec.values.map((value, i) => ({
          labels: { ...set.labels, [name]: value },
          weight: set.weight * weights[i]!,
          usual: set.usual && i === 0,
        })),
      );
    } else {
      open.push([name, openValues(name, spec, context, declaration.name)]);
    }
  }
  if (open.length > 0) {
    const rows = Math.max(...open.map(([, values]) => values.length));
    sets = sets.flatMap((set) =>
      Array.from({ length: rows }, (_, row) => ({
        labels: {
          ...set.labels,
          ...Object.fromEntries(open.map(([name, values]) => [name, values[row % values.length]!])),
        },
        weight: set.weight,
        usual: set.usual,
      })),
    );
  }
  return sets;
}
