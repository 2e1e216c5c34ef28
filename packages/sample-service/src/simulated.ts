import type { MetricDeclaration, Unit } from '@o11y/catalog';
import { Counter, Gauge, Histogram, type Registry, type RegistryContentType, Summary } from 'prom-client';
import { type EstateContext, exposedLabels, type LabelSet, labelSets } from './label-sets.ts';
import type { Random } from './random.ts';

/**
 * How a metric without instrumentation of its own moves: the rate of a counter or of a histogram's
 * observations, or the level of a gauge, before the label set's weight. Declared per unit, with
 * per-metric overrides where one metric must stay consistent with another (available < total).
 */
export interface Behaviour {
  /** Counter increase per second, histogram/summary observations per second, or gauge level. */
  readonly level: number;
  /** A gauge whose value is computed (uptime, a timestamp) instead of a level. */
  readonly value?: (now: number) => number;
}

const GIB = 1024 ** 3;

/**
 * The default behaviour of a metric of each base unit (a counter's rate, a gauge's level); metrics of
 * the organisation's own units move as the estate's behaviours say, or by these defaults.
 */
export function defaultBehaviour(
  type: MetricDeclaration['type'],
  unit: Unit | undefined,
  startedAt: number,
): Behaviour {
  if (type === 'counter') {
    const rates: Partial<Record<Unit, number>> = {
      bytes: 500_000,
      seconds: 1,
      operations: 40,
      count: 100,
    };
    return { level: rates[unit ?? 'count'] ?? 5 };
  }
  if (type === 'histogram' || type === 'summary') return { level: 2 };
  const levels: Partial<Record<Unit, number>> = {
    bytes: 8 * GIB,
    connections: 100,
    seconds: 0.5,
    ratio: 0.5,
    boolean: 1,
    info: 1,
    count: 2,
    items: 10_000,
  };
  if (unit === 'timestamp') return { level: 0, value: () => startedAt / 1000 - 3 * 86_400 };
  return { level: levels[unit ?? 'count'] ?? 10 };
}

/** Histogram and summary observations fall between the first bucket and the middle one: mostly fast. */
function observationRange(declaration: MetricDeclaration): [number, number] {
  const bounds = declaration.buckets ?? [0.001, 0.01, 0.1, 1];
  return [bounds[0]!, bounds[Math.floor((bounds.length - 1) / 2)]!];
}

export interface SimulationOptions {
  readonly registry: Registry<RegistryContentType>;
  /**
   * Declared labels the simulated series leave out: the registry's default labels (a prom-client
   * service's `service`), and the dimensions the scrape's targets carry (`environment`).
   */
  readonly setElsewhere: ReadonlySet<string>;
  readonly context: EstateContext;
  readonly random: Random;
  readonly behaviour: Behaviour;
  readonly now: () => number;
}

/**
 * Registers a prom-client metric that moves on its own: counters grow by their rate since the last
 * scrape, histograms observe that many values, gauges hold their level with a little jitter. A
 * boolean gauge with a listed-values label is one-hot on the first (usual) value, as state metrics are.
 */
export function registerSimulated(declaration: MetricDeclaration, options: SimulationOptions): void {
  const { registry, random, behaviour, now } = options;
  const sets = labelSets(declaration, options.setElsewhere, options.context);
  const labelNames = exposedLabels(declaration, options.setElsewhere);
  const common = { name: declaration.name, help: declaration.help, labelNames, registers: [registry] };
  let last = now();
  const elapsed = () => {
    const current = now();
    const seconds = (current - last) / 1000;
    last = current;
    return seconds;
  };
  switch (declaration.type) {
    case 'counter': {
      const metric: Counter = new Counter({
        ...common,
        collect() {
          const seconds = elapsed();
          for (const set of sets)
            metric.inc(set.labels, behaviour.level * set.weight * seconds * random.between(0.8, 1.2));
        },
      });
      for (const set of sets) metric.inc(set.labels, 0);
      return;
    }
    case 'gauge': {
      const oneHot = behaviour.level === 1 && declaration.unit === 'boolean' && sets.length > 1;
      const gaugeValue = (set: LabelSet): number => {
        if (behaviour.value) return behaviour.value(now());
        if (oneHot) return set.usual ? 1 : 0;
        if (declaration.unit === 'boolean' || declaration.unit === 'info') return behaviour.level;
        return behaviour.level * random.between(0.97, 1.03);
      };
      const metric: Gauge = new Gauge({
        ...common,
        collect() {
          for (const set of sets) metric.set(set.labels, gaugeValue(set));
        },
      });
      return;
    }
    case 'histogram':
    case 'summary': {
      const [low, high] = observationRange(declaration);
      const observe = (metric: Histogram | Summary) => {
        const seconds = elapsed();
        for (const set of sets) {
          const count = random.poisson(behaviour.level * set.weight, seconds);
          for (let n = 0; n < count; n++)
            metric.observe(set.labels, Math.exp(random.between(Math.log(low), Math.log(high))));
        }
      };
      if (declaration.type === 'histogram') {
        const metric: Histogram = new Histogram({
          ...common,
          buckets: [...(declaration.buckets ?? [])],
          collect: () => observe(metric),
        });
        for (const set of sets) metric.zero(set.labels);
      } else {
        const metric: Summary = new Summary({
          ...common,
          percentiles: [...(declaration.quantiles ?? [])],
          collect: () => observe(metric),
        });
      }
      return;
    }
    default:
      throw new Error(
        `metric ${declaration.name} is a ${declaration.type}; only scraped metric types are simulated`,
      );
  }
}
