import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from '@o11y/build';
import { init, type Node, parse, parseDashboardQuery, type VectorSelector, walk } from '@o11y/promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  conventionViolations,
  type DashboardJson,
  type PanelJson,
} from '../packages/dashboards/test/conventions.ts';
import { sloOf } from '../rules/slos.ts';
import { API_ERROR_RATE, P95_LATENCY_SECONDS } from '../rules/thresholds.ts';

const root = path.resolve(import.meta.dirname, '..');
/** Scratch projects, removed after the tests. */
const scratch: string[] = [];
let work: string;

/**
 * The sample organisation's definitions copied into a scratch project under the system's temporary
 * directory, never into the checkout. The repository's node_modules (the workspace packages) and
 * pinned toolchain are linked in, so the project resolves and runs exactly as the repository does.
 */
async function scratchProject(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-dashboards-sample-'));
  scratch.push(dir);
  for (const folder of ['catalog', 'rules', 'dashboards', 'alertmanager']) {
    await cp(path.join(root, folder), path.join(dir, folder), { recursive: true });
  }
  for (const linked of ['node_modules', '.tools']) {
    await symlink(path.join(root, linked), path.join(dir, linked), 'dir');
  }
  return dir;
}

async function dashboardsOf(out: string): Promise<Map<string, DashboardJson>> {
  const found = new Map<string, DashboardJson>();
  const base = path.join(out, 'grafana', 'dashboards');
  for (const entry of await readdir(base, { recursive: true })) {
    if (!entry.endsWith('.json')) continue;
    found.set(entry, JSON.parse(await readFile(path.join(base, entry), 'utf8')) as DashboardJson);
  }
  return found;
}

/** A selector as a comparable key: name and matchers, sorted (`__name__` dropped). */
/**
 * A selector as `name{matchers}`, matchers sorted. The environment is left out: a panel chooses it with
 * `$environment` and an SLO alert may be limited to some (page for production); the tests that compare
 * panels with alerts check the panel's environment filter apart.
 */
function selectorKey(selector: VectorSelector): string {
  const matchers = selector.matchers
    .filter((m) => m.name !== '__name__' && m.name !== 'environment')
    .map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`)
    .sort();
  return `${selector.name}{${matchers.join(',')}}`;
}

/** Every `<selector> > <number>` of a parsed expression: the series compared and the number. */
function comparisons(expr: Node): { series: string; threshold: number }[] {
  const found: { series: string; threshold: number }[] = [];
  walk(expr, (node) => {
    if (
      node.type === 'Binary' &&
      node.op === '>' &&
      node.lhs.type === 'VectorSelector' &&
      node.rhs.type === 'Number'
    ) {
      found.push({ series: selectorKey(node.lhs), threshold: node.rhs.value });
    }
  });
  return found;
}

interface AlertRuleYaml {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The one alerting rule of an emitted rule file with this name (and these labels), its expression parsed. */
async function alertIn(
  out: string,
  file: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<Node> {
  const yaml = parseYaml(await readFile(path.join(out, 'prometheus', 'rules', file), 'utf8')) as {
    groups: { rules: AlertRuleYaml[] }[];
  };
  const matching = yaml.groups
    .flatMap((g) => g.rules)
    .filter((r) => r.alert === name && Object.entries(labels).every(([k, v]) => r.labels[k] === v));
  expect(matching).toHaveLength(1);
  const parsed = parse(matching[0]!.expr);
  if (!parsed.ok) throw new Error(`${name} in ${file} does not parse: ${matching[0]!.expr}`);
  return parsed.expr;
}

function panelOf(json: DashboardJson, title: string, after?: string): PanelJson {
  const from = after === undefined ? 0 : json.panels.findIndex((p) => p.title === after);
  const panel = json.panels.slice(from).find((p) => p.title === title);
  if (!panel) throw new Error(`no panel "${title}"${after ? ` after "${after}"` : ''} in ${json.uid}`);
  return panel;
}

function thresholdsOf(panel: PanelJson): number[] {
  return panel.fieldConfig!.defaults!.thresholds!.steps.flatMap((s) => (s.value === null ? [] : [s.value]));
}

/** The series a panel's queries read, as `selectorKey`s. */
function seriesOf(panel: PanelJson): string[] {
  return (panel.targets ?? []).flatMap((t) => {
    const parsed = parseDashboardQuery(t.expr ?? '');
    if (!parsed.ok) throw new Error(`${t.expr} does not parse`);
    const keys: string[] = [];
    walk(parsed.expr, (node) => {
      if (node.type === 'VectorSelector') keys.push(selectorKey(node));
    });
    return keys;
  });
}

beforeAll(async () => {
  work = await scratchProject();
  await init();
});
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('the sample organisation', () => {
  let dashboards: Map<string, DashboardJson>;
  let sampleOut: string;

  beforeAll(async () => {
    const { outDir } = await build({ root: work, out: 'dist-sample' });
    sampleOut = outDir;
    dashboards = await dashboardsOf(outDir);
  }, 120_000);

  it('emits a RED and an SLO dashboard per service in its team folder, and the overviews, following every convention', () => {
    expect([...dashboards.keys()]).toEqual(
      expect.arrayContaining([
        'payments/payments-red.json',
        'payments/payments-slos.json',
        'engagement/search-red.json',
        'engagement/search-slos.json',
        'infrastructure/postgresql.json',
        'infrastructure/redis.json',
        'infrastructure/blackbox-uptime.json',
        'infrastructure/nodes-use.json',
        'overview/golden-signals.json',
        'overview/business-kpis.json',
        'overview/executive-summary.json',
        'overview/slo-overview.json',
      ]),
    );
    expect(dashboards.size).toBe(11 * 2 + 8);
    for (const json of dashboards.values()) {
      expect(
        conventionViolations(
          json,
          json.templating.list.map((v) => v.name),
        ),
      ).toEqual([]);
    }
    const uids = [...dashboards.values()].map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('compares the p95-latency and error-rate alerts and draws their panels at the same constants, on the same series', async () => {
    const red = dashboards.get('payments/payments-red.json')!;
    for (const [alert, constant, panels] of [
      ['HighLatency', P95_LATENCY_SECONDS, ['p95 latency', 'Latency percentiles', 'p95 latency by route']],
      ['HighErrorRate', API_ERROR_RATE, ['Error ratio']],
    ] as const) {
      const expr = await alertIn(sampleOut, 'services/payments.yml', alert);
      const [compared, ...more] = comparisons(expr);
      expect(more).toEqual([]);
      expect(compared!.threshold).toBe(constant);
      for (const title of panels) expect(thresholdsOf(panelOf(red, title))).toEqual([constant]);
      // The headline stat shows exactly the series the alert compares, in the environments chosen.
      expect(seriesOf(panelOf(red, panels[0]))).toEqual([compared!.series]);
      expect(panelOf(red, panels[0]).targets?.[0]?.expr).toContain('environment=~"$environment"');
    }
  });

  it('draws each SLO burn-rate alert threshold on its window panel, on the series the alert compares', async () => {
    const board = dashboards.get('payments/payments-slos.json')!;
    for (const name of ['availability', 'latency'] as const) {
      const slo = sloOf('payments', name);
      const row = board.panels.find((p) => p.type === 'row' && p.title.startsWith(`${name} ·`))!.title;
      for (const severity of ['page', 'ticket'] as const) {
        const constants = slo.windows.filter((w) => w.severity === severity).map((w) => w.threshold);
        const expr = await alertIn(sampleOut, `slo/${slo.id}.yml`, slo.alertNames.burn, {
          slo_severity: severity,
        });
        const compared = comparisons(expr);
        const numerically = (a: number, b: number) => a - b;
        expect([...new Set(compared.map((c) => c.threshold))].sort(numerically)).toEqual(
          constants.sort(numerically),
        );
        const panel = panelOf(board, `Error ratio · ${severity} windows`, row);
        expect(thresholdsOf(panel)).toEqual(constants);
        expect(seriesOf(panel).sort()).toEqual(compared.map((c) => c.series).sort());
        expect(panel.targets?.every((t) => t.expr?.includes('environment=~"$environment"'))).toBe(true);
      }
    }
  });

  it('adds the dashboards of a twelfth service with no change but the service list', async () => {
    // A project of its own: the build imports its modules, and a module once imported stays cached.
    const twelve = await scratchProject();
    const services = path.join(twelve, 'catalog', 'services.ts');
    const source = await readFile(services, 'utf8');
    const twelfth = `  service('loyalty', {
    description: 'Loyalty points and rewards',
    team: 'commerce',
    instrumentation: 'otel',
    tier: 'standard',
    replicas: 2,
    port: 9464,
    datastores: ['postgres'],
    slo: { availability: 0.99, latency: { threshold: 0.5, objective: 0.99 } },
  }),
] as const;`;
    await writeFile(services, source.replace(/\n\] as const;/, `\n${twelfth}`));
    const { outDir } = await build({ root: twelve, out: 'dist' });
    const after = await dashboardsOf(outDir);
    expect(after.size).toBe(dashboards.size + 2);
    const red = after.get('commerce/loyalty-red.json')!;
    const slos = after.get('commerce/loyalty-slos.json')!;
    expect(red.title).toBe('loyalty · RED');
    // Its RED recording rules (rules/services.ts) and its raw OpenTelemetry metrics.
    expect(seriesOf(panelOf(red, 'p95 latency'))).toEqual([
      'service:http_request_duration_seconds:p95_rate5m{service="loyalty"}',
    ]);
    expect(JSON.stringify(red)).toContain('service_name=\\"loyalty\\"');
    expect(slos.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'availability · 99% over 30d',
      'latency · 99% over 30d',
    ]);
    expect(red.links?.some((l) => l.url === `/d/${slos.uid}`)).toBe(true);
    expect(slos.links?.some((l) => l.url === `/d/${red.uid}`)).toBe(true);
    const overview = after.get('overview/slo-overview.json')!;
    expect(seriesOf(panelOf(overview, 'Error budget remaining'))).toContain(
      'slo:period_error_budget_remaining:ratio{service="loyalty",slo="availability"}',
    );
    for (const json of [red, slos, overview]) {
      expect(
        conventionViolations(
          json,
          json.templating.list.map((v) => v.name),
        ),
      ).toEqual([]);
    }
  }, 120_000);

  it('shows an SLO defined in a module of its own on its service’s SLO dashboard and the overviews', async () => {
    const project = await scratchProject();
    await writeFile(
      path.join(project, 'rules', 'checkout-slo.ts'),
      `import { availability, slo } from '@o11y/rules';
import { httpRequestsTotal, serverErrorStatus, services } from '../catalog/index.ts';

const payments = services.find((s) => s.name === 'payments')!;

export const checkout = slo({
  service: payments,
  name: 'checkout',
  objective: 0.995,
  sli: availability({
    total: httpRequestsTotal.select({ service: 'payments', route: '/api/payments' }),
    errors: httpRequestsTotal.select({ service: 'payments', route: '/api/payments', status_code: serverErrorStatus }),
  }),
});
`,
    );
    const { outDir } = await build({ root: project, out: 'dist' });
    const after = await dashboardsOf(outDir);
    const own = after.get('payments/payments-slos.json')!;
    // In the order the build collects them: rules/checkout-slo.ts before rules/slos.ts.
    expect(own.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'checkout · 99.5% over 30d',
      'availability · 99.95% over 30d',
      'latency · 99% over 30d',
    ]);
    const selector = 'slo:period_error_budget_remaining:ratio{service="payments",slo="checkout"}';
    expect(seriesOf(panelOf(after.get('overview/slo-overview.json')!, 'Error budget remaining'))).toContain(
      selector,
    );
    expect(seriesOf(panelOf(after.get('overview/executive-summary.json')!, 'SLO error budgets'))).toContain(
      selector,
    );
  }, 120_000);
});
