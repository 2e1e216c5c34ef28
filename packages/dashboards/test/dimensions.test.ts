import { defineLogStreams } from '@o11y/catalog';
import { init, parseDashboardQuery, walk } from '@o11y/promql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blackboxDashboard,
  type Dashboard,
  type DashboardDimensions,
  folder,
  goldenSignalsDashboard,
  redDashboard,
  sloDashboard,
  sloOverviewDashboard,
} from '../src/index.ts';
import { dimensions, httpConventions, redRecordings, services, sloOf, up } from './fixture.ts';

beforeAll(async () => {
  await init();
});

/** Every kit, built with the given dimensions. */
function kits(given: DashboardDimensions): Record<string, Dashboard> {
  const [checkout, ledger] = services;
  const thresholds = { errorRatio: 0.01, p95Latency: 0.5 };
  const slos = [sloOf('checkout', 'availability'), sloOf('checkout', 'latency')];
  return {
    'RED (raw metrics)': redDashboard({
      service: ledger,
      http: httpConventions.otel,
      folder: folder('books'),
      thresholds,
      dimensions: given,
    }),
    'RED (recording rules)': redDashboard({
      service: checkout,
      http: httpConventions['prom-client'],
      folder: folder('tills'),
      thresholds,
      recorded: redRecordings(checkout),
      dimensions: given,
    }),
    SLO: sloDashboard(slos, { folder: folder('tills'), dimensions: given }),
    'SLO overview': sloOverviewDashboard(slos, { folder: folder('overview'), dimensions: given }),
    'golden signals': goldenSignalsDashboard({
      http: [httpConventions['prom-client'], httpConventions.otel],
      up,
      folder: folder('overview'),
      thresholds,
      dimensions: given,
      saturation: () => [],
    }),
    blackbox: blackboxDashboard({
      job: 'checkout',
      folder: folder('infrastructure'),
      metrics: { success: up, duration: up, certificateExpiry: up },
      dimensions: given,
    }),
  };
}

interface Built {
  readonly variables: Map<string, { multi?: boolean; includeAll?: boolean }>;
  /** The PromQL queries, each with the matchers (label and operator) of each of its selectors. */
  readonly queries: { expr: string; selectors: { name: string; matchers: string[] }[] }[];
}

function built(board: Dashboard): Built {
  const { json, model } = board.compile();
  const list = (json as { templating: { list: { name: string; multi?: boolean; includeAll?: boolean }[] } })
    .templating.list;
  const queries = model.panels
    .flatMap((panel) => panel.queries.map((q) => q.expr))
    .filter((expr) => !expr.startsWith('{')) // LogQL
    .map((expr) => {
      const parsed = parseDashboardQuery(expr);
      if (!parsed.ok) throw new Error(`${expr} does not parse`);
      const selectors: { name: string; matchers: string[] }[] = [];
      walk(parsed.expr, (node) => {
        if (node.type === 'VectorSelector')
          selectors.push({ name: node.name ?? '', matchers: node.matchers.map((m) => `${m.name}${m.op}`) });
      });
      return { expr, selectors };
    });
  return { variables: new Map(list.map((v) => [v.name, v])), queries };
}

describe('dashboard kits and the deployment dimensions', () => {
  it('without dimensions: no $environment or $cluster, no query filters by them', () => {
    for (const [kit, board] of Object.entries(kits(dimensions.none))) {
      const { variables, queries } = built(board);
      expect([...variables.keys()], kit).not.toContain('environment');
      expect([...variables.keys()], kit).not.toContain('cluster');
      for (const { expr } of queries) expect(expr, kit).not.toMatch(/\$environment|\$cluster/);
    }
  });

  it('with environment: a multi-value $environment where the series carry it, filtering their queries; no $cluster', () => {
    for (const [kit, board] of Object.entries(kits(dimensions.environment))) {
      const { variables, queries } = built(board);
      expect(variables.has('cluster'), kit).toBe(false);
      // `up` has no environment label and the fixture's SLOs are not computed per environment.
      if (kit === 'blackbox' || kit.startsWith('SLO')) {
        expect(variables.has('environment'), kit).toBe(false);
        continue;
      }
      expect(variables.get('environment'), kit).toMatchObject({ multi: true, includeAll: true });
      // The fixture's raw HTTP metrics carry `environment`; its recording rules and `up` do not.
      for (const { expr, selectors } of queries)
        for (const { name, matchers } of selectors)
          if (!name.includes(':') && name !== 'up')
            expect(matchers, `${kit}: ${expr}`).toContain('environment=~');
    }
  });

  it('with environment and cluster from external_labels: $cluster on every dashboard and every selector', () => {
    for (const [kit, board] of Object.entries(kits(dimensions.both))) {
      const { variables, queries } = built(board);
      expect(variables.get('cluster'), kit).toMatchObject({ multi: true, includeAll: true });
      for (const { expr, selectors } of queries) {
        for (const { matchers } of selectors) expect(matchers, `${kit}: ${expr}`).toContain('cluster=~');
        expect(expr.split('cluster=~"$cluster"').length - 1, `${kit}: ${expr}`).toBe(selectors.length);
      }
    }
  });

  it('filters log panels by the variables whose labels the log streams carry: $cluster when the log agent adds it', () => {
    const logQueries = (given: DashboardDimensions, streams?: readonly string[]) =>
      redDashboard({
        service: services[1]!,
        http: httpConventions.otel,
        folder: folder('books'),
        thresholds: { errorRatio: 0.01, p95Latency: 0.5 },
        dimensions: given,
        ...(streams && { logStreams: defineLogStreams(Object.fromEntries(streams.map((s) => [s, {}]))) }),
      })
        .compile()
        .model.panels.flatMap((panel) => panel.queries.map((q) => q.expr))
        .filter((expr) => expr.startsWith('{'));
    const environmentOnly = ['{service="ledger", environment=~"$environment"}'];
    expect(logQueries(dimensions.environment)).toEqual(environmentOnly);
    expect(logQueries(dimensions.both)).toEqual(environmentOnly);
    expect(logQueries(dimensions.both, ['service', 'environment'])).toEqual(environmentOnly);
    expect(logQueries(dimensions.both, ['service', 'environment', 'instance'])).toEqual([
      '{service="ledger", environment=~"$environment", instance=~"$instance"}',
    ]);
    expect(logQueries(dimensions.both, ['service', 'environment', 'cluster', 'instance'])).toEqual([
      '{service="ledger", environment=~"$environment", cluster=~"$cluster", instance=~"$instance"}',
    ]);
  });

  it("lists $cluster's values among the chosen environments", () => {
    const { variables } = built(kits(dimensions.both)['RED (raw metrics)']!);
    expect([...variables.keys()].filter((name) => name !== 'datasource' && name !== 'loki')).toEqual([
      'environment',
      'cluster',
      'job',
      'instance',
    ]);
    const query = (variables.get('cluster') as { query?: unknown }).query;
    expect(JSON.stringify(query)).toContain('environment=~\\"$environment\\"');
  });
});
