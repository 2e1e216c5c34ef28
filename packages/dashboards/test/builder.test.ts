import * as units from '@grafana/grafana-foundation-sdk/units';
import { histogramQuantile, increase, rate, sum } from '@o11y/catalog';
import { O11yError, O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { originsOf } from '../src/builder/dashboard.ts';
import {
  compileAll,
  dashboard,
  EVERY_SLO,
  folder,
  redDashboard,
  sloDashboard,
  sloOverviewDashboard,
  stat,
  timeseries,
  uidFrom,
} from '../src/index.ts';
import {
  dimensions,
  httpConventions,
  httpRequestsTotal,
  redDashboardOf,
  redRecordings,
  salesTotal,
  services,
  sloOf,
} from './fixture.ts';

const requests = sum(rate(httpRequestsTotal.range('$__rate_interval')));
const THIS_FILE = 'packages/dashboards/test/builder.test.ts';

function errorOf(run: () => unknown): O11yError {
  try {
    run();
  } catch (error) {
    if (error instanceof O11yError) return error;
    if (error instanceof O11yErrors) {
      const first = error.diagnostics[0]!;
      return new O11yError(error.message, { ...(first.source && { source: first.source }) });
    }
    throw error;
  }
  throw new Error('expected an O11yError');
}

describe('uids', () => {
  it('derives short uids from names and keeps long names unique within 40 characters', () => {
    expect(uidFrom('payments · RED')).toBe('payments-red');
    const a = uidFrom('a very long dashboard title that goes on and on · variant one');
    const b = uidFrom('a very long dashboard title that goes on and on · variant two');
    expect(a.length).toBeLessThanOrEqual(40);
    expect(b.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
    expect(uidFrom('a very long dashboard title that goes on and on · variant one')).toBe(a);
  });

  it('fails the build on two dashboards with one uid, naming both lines', () => {
    const first = dashboard('Same').row('r', [stat('x').description('d').unit(units.Short).query(requests)]);
    const second = dashboard('same').row('r', [stat('x').description('d').unit(units.Short).query(requests)]);
    const error = errorOf(() => compileAll([first, second]));
    expect(error.message).toContain('both have uid same');
    expect(error.source?.file).toBe(THIS_FILE);
  });
});

describe('panel conventions', () => {
  it('builds a panel without description or unit: lint’s dashboard/panel-description and panel-unit judge them', () => {
    const board = dashboard('Bare').row('r', [timeseries('Requests').query(requests)]);
    const [panel] = board.compile().model.panels;
    expect(panel).toMatchObject({ title: 'Requests', type: 'timeseries' });
    expect(panel?.description).toBeUndefined();
    expect(panel?.unit).toBeUndefined();
  });

  it('builds a rate over a fixed window: lint’s dashboard/rate-interval is the one place that judges ranges', () => {
    const fixed = sum(rate(httpRequestsTotal.range('5m')));
    const board = dashboard('Fixed').row('r', [
      timeseries('R').description('d').unit(units.Short).query(fixed),
    ]);
    expect(board.compile().model.panels[0]!.queries[0]!.expr).toBe('sum(rate(http_requests_total[5m]))');
  });

  it('accepts increase() over a declared fixedWindow and sets the min step to it', () => {
    const perHour = sum(increase(salesTotal.range('1h'))).by('currency');
    const board = dashboard('Per hour').row('r', [
      timeseries('Revenue')
        .description('d')
        .unit(units.Short)
        .query(perHour, '{{currency}}', { fixedWindow: '60m' }),
      stat('In range')
        .description('d')
        .unit(units.Short)
        .query(sum(increase(salesTotal.range('$__range')))),
    ]);
    const { json, model } = board.compile();
    const panel = (json.panels ?? []).find((p) => p.title === 'Revenue') as { targets?: unknown[] };
    expect(panel.targets).toEqual([
      expect.objectContaining({ expr: 'sum by (currency) (increase(sales_total[1h]))', interval: '1h' }),
    ]);
    expect(model.panels.find((p) => p.title === 'In range')!.queries[0]!.expr).toBe(
      'sum(increase(sales_total[$__range]))',
    );
  });

  it('rejects a fixedWindow that no increase() reads, or that is not a duration, at the query', () => {
    const unread = errorOf(() =>
      timeseries('R').query(sum(increase(salesTotal.range('$__range'))), undefined, { fixedWindow: '1h' }),
    );
    expect(unread.message).toContain("declares fixedWindow '1h' but no increase() reads [1h]");
    expect(unread.id).toBe('dashboards/fixed-window');
    expect(unread.source?.file).toBe(THIS_FILE);
    const otherWindow = errorOf(() =>
      timeseries('R').query(sum(increase(salesTotal.range('1d'))), undefined, { fixedWindow: '1h' }),
    );
    expect(otherWindow.message).toContain('no increase() reads [1h]');
    expect(() =>
      timeseries('R').query(sum(increase(salesTotal.range('1h'))), undefined, { fixedWindow: '0s' }),
    ).toThrow("fixedWindow '0s' is not a positive duration");
  });

  it('gives a query its own unit when asked (two figures on one stat)', () => {
    const board = dashboard('Units').row('r', [
      stat('Two figures')
        .description('d')
        .unit(units.PercentUnit)
        .query(requests, 'share')
        .query(requests, 'time', { unit: units.Seconds }),
    ]);
    const panel = (board.compile().json.panels ?? []).find((p) => p.title === 'Two figures')!;
    expect((panel as { fieldConfig?: unknown }).fieldConfig).toMatchObject({
      defaults: { unit: units.PercentUnit },
      overrides: [
        { matcher: { id: 'byFrameRefID', options: 'B' }, properties: [{ id: 'unit', value: units.Seconds }] },
      ],
    });
  });

  it('rejects a legend naming a label the query does not return (compile time and build time)', () => {
    const byRoute = sum(rate(httpRequestsTotal.range('$__rate_interval'))).by('route');
    // @ts-expect-error: `method` is not returned by a sum by (route)
    expect(() => timeseries('R').query(byRoute, '{{method}}')).toThrow(
      /legend "\{\{method\}\}" uses label "method"/,
    );
    expect(() => timeseries('R').query(byRoute, '{{route}}')).not.toThrow();
  });

  it('rejects undefined variables', () => {
    const selected = sum(rate(httpRequestsTotal.select({ service: '$service' }).range('$__rate_interval')));
    const board = dashboard('Vars').row('r', [stat('x').description('d').unit(units.Short).query(selected)]);
    expect(errorOf(() => board.compile()).message).toContain('uses $service');
  });
});

describe('RED dashboard', () => {
  const otel = services.find((s) => s.instrumentation === 'otel')!;
  const promClient = services.find((s) => s.instrumentation === 'prom-client')!;
  const build = (service: typeof otel | typeof promClient) => redDashboardOf(service).compile();

  it('builds prom-client and OpenTelemetry naming from the same builder', () => {
    const a = build(promClient).model;
    const b = build(otel).model;
    expect(a.panels.map((p) => p.title)).toEqual(b.panels.map((p) => p.title));
    expect(a.panels.flatMap((p) => p.queries.map((q) => q.expr)).join('\n')).toContain(
      'http_request_duration_seconds_bucket',
    );
    expect(b.panels.flatMap((p) => p.queries.map((q) => q.expr)).join('\n')).toContain(
      'http_server_request_duration_seconds_bucket{environment=~"$environment"',
    );
    // One series per route and environment: staging's are never drawn as production's.
    expect(b.panels.find((p) => p.title === 'Requests by route')!.queries[0]!.legendFormat).toBe(
      '{{http_route}} · {{environment}}',
    );
  });

  it('draws the alert thresholds it is given and links exemplars on bucket queries', () => {
    const { model, json } = build(promClient);
    expect(model.panels.find((p) => p.title === 'Latency percentiles')!.thresholds).toEqual([0.5]);
    expect(model.panels.find((p) => p.title === 'Error ratio')!.thresholds).toEqual([0.01]);
    const latency = (json.panels ?? []).find((p) => p.title === 'Latency percentiles') as {
      targets: { exemplar?: boolean }[];
    };
    expect(latency.targets.every((t) => t.exemplar === true)).toBe(true);
  });

  it('remembers where each panel and query was written', () => {
    const fromHere = dashboard('Here').row('r', [
      stat('x')
        .description('d')
        .unit(units.Seconds)
        .query(
          histogramQuantile(
            0.5,
            sum(rate(httpConventions['prom-client'].duration.bucket.range('$__rate_interval'))).by('le'),
          ),
        ),
    ]);
    const model = fromHere.compile().model;
    expect(model.source.file).toBe(THIS_FILE);
    expect(model.panels[0]!.source.file).toBe(THIS_FILE);
    expect(model.panels[0]!.queries[0]!.source.file).toBe(THIS_FILE);
  });
});

describe('RED dashboard on recording rules', () => {
  const build = (service: (typeof services)[number]) =>
    redDashboard({
      service,
      http: httpConventions[service.instrumentation],
      folder: folder(service.team),
      thresholds: { errorRatio: 0.01, p95Latency: 0.5 },
      recorded: redRecordings(service),
      dimensions: dimensions.environment,
    }).compile().model;
  const exprOf = (model: ReturnType<typeof build>, title: string) =>
    model.panels.find((p) => p.title === title)!.queries.map((q) => q.expr);

  it('reads the recorded series where rules exist, the raw metrics only for what they aggregate away', () => {
    const payments = build(services.find((s) => s.name === 'checkout')!);
    expect(exprOf(payments, 'Error ratio')).toEqual([
      'service:http_request_errors:ratio_rate5m{service="checkout"}',
    ]);
    expect(exprOf(payments, 'p95 latency')).toEqual([
      'service:http_request_duration_seconds:p95_rate5m{service="checkout"}',
    ]);
    expect(exprOf(payments, 'Requests by route')).toEqual([
      'service_route:http_requests:rate5m{service="checkout"}',
    ]);
    expect(exprOf(payments, 'Requests by status')[0]).toContain('rate(http_requests_total{');
    expect(exprOf(payments, 'p95 latency by instance')[0]).toContain('http_request_duration_seconds_bucket{');
  });

  it('gives OpenTelemetry services the same labels, as the rules unify them', () => {
    const search = build(services.find((s) => s.name === 'ledger')!);
    const byRoute = search.panels.find((p) => p.title === 'p95 latency by route')!.queries[0]!;
    expect(byRoute).toMatchObject({
      expr: 'service_route:http_request_duration_seconds:p95_rate5m{service="ledger"}',
      legendFormat: '{{route}}',
    });
  });
});

describe('SLO dashboard', () => {
  it('shows every SLO of one service in a row of its own, with each alert window threshold drawn', () => {
    const slos = [sloOf('checkout', 'availability'), sloOf('checkout', 'latency')];
    const { json, model } = sloDashboard(slos, {
      folder: folder('tills'),
      dimensions: dimensions.environment,
    }).compile();
    expect((json.panels ?? []).filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'availability · 99.95% over 30d',
      'latency · 99% over 30d',
    ]);
    const pages = model.panels.filter((p) => p.title === 'Error ratio · page windows');
    expect(pages.map((p) => [...p.thresholds].sort((a, b) => a - b))).toEqual(
      slos.map((slo) =>
        slo.windows
          .filter((w) => w.severity === 'page')
          .map((w) => w.threshold)
          .sort((a, b) => a - b),
      ),
    );
  });

  it("reads the SLO's recorded objective, budget and period: objective beside the SLI, budget left as outage time", () => {
    const slo = sloOf('checkout', 'availability');
    const { model } = sloDashboard([slo], {
      folder: folder('tills'),
      dimensions: dimensions.environment,
    }).compile();
    const queries = (title: string) =>
      model.panels.find((p) => p.title === title)!.queries.map((q) => [q.legendFormat, q.expr]);
    const selector = '{service="checkout",slo="availability"}';
    expect(queries('SLI over 30d')).toEqual([
      ['SLI', `-slo:sli_error:ratio_rate30d${selector} + 1`],
      ['objective', `slo:objective:ratio${selector}`],
    ]);
    expect(queries('SLI').at(-1)).toEqual(['objective', `slo:objective:ratio${selector}`]);
    expect(queries('Error budget remaining')).toEqual([
      ['share', `slo:period_error_budget_remaining:ratio${selector}`],
      [
        'outage time',
        `slo:period_error_budget_remaining:ratio${selector} * on (slo, service) group_left () (slo:error_budget:ratio${selector} * slo:time_period:days${selector} * 86400)`,
      ],
    ]);
  });

  it('refuses SLOs of two services, at the line that asked', () => {
    const error = errorOf(() =>
      sloDashboard([sloOf('checkout', 'availability'), sloOf('ledger', 'availability')], {
        folder: folder('x'),
        dimensions: dimensions.environment,
      }),
    );
    expect(error.message).toContain(
      'needs the SLOs of one service, got checkout/availability, ledger/availability',
    );
    expect(error.source?.file).toBe(THIS_FILE);
  });
});

describe('SLO dashboards of every SLO the build collects', () => {
  const build = [
    sloOf('checkout', 'availability'),
    sloOf('ledger', 'availability'),
    sloOf('checkout', 'latency'),
  ];

  /** The overview and checkout's SLO dashboard, of every SLO the build collects. */
  const kitDashboards = () => ({
    overview: sloOverviewDashboard(EVERY_SLO, {
      folder: folder('overview'),
      dimensions: dimensions.environment,
    }),
    own: sloDashboard(EVERY_SLO, {
      service: 'checkout',
      folder: folder('tills'),
      dimensions: dimensions.environment,
    }),
  });

  it('fill the overview and a service’s dashboard when emitted, pointing at the line that asked', () => {
    const { overview, own } = kitDashboards();
    const models = compileAll([overview, own], build).map((c) => c.model);
    const overviewModel = models.find((m) => m.uid === overview.uid);
    const ownModel = models.find((m) => m.uid === own.uid);
    const budgets = overviewModel!.panels.find((p) => p.title === 'Error budget remaining')!.queries;
    expect(budgets.map((q) => q.legendFormat)).toEqual([
      'checkout availability',
      'ledger availability',
      'checkout latency',
    ]);
    expect(budgets[0]!.source).toEqual(overview.source);
    expect(ownModel!.panels.filter((p) => p.title.startsWith('SLI over')).map((p) => p.source)).toEqual([
      own.source,
      own.source,
    ]);
    expect(own.title).toBe('checkout · SLOs');
  });

  it('fill a copy at every build: each build gets its own SLOs, and the definition keeps none of them', () => {
    const { overview, own } = kitDashboards();
    const titles = (slos: typeof build) =>
      compileAll([overview, own], slos).map((c) => ({
        uid: c.definition.uid,
        panels: c.model.panels.map((p) => p.title),
      }));
    const first = titles(build);
    expect(titles(build.slice(0, 2))).not.toEqual(first);
    expect(titles(build)).toEqual(first);
    expect(first.flatMap((d) => d.panels).filter((t) => t.startsWith('SLI over'))).toHaveLength(2);
    expect([overview.panels, own.panels]).toEqual([[], []]);
  });

  it('leave verify the sources of their panels, not the panels', () => {
    const [compiled] = compileAll([kitDashboards().own], build);
    const { origins } = originsOf(compiled!);
    const sli = origins.panelAt.find((panel) => panel?.title.startsWith('SLI over'));
    expect(origins.source).toEqual(compiled!.definition.source);
    expect(sli).toStrictEqual({
      title: 'SLI over 30d',
      source: compiled!.definition.source,
      queries: [{ source: compiled!.definition.source }, { source: compiled!.definition.source }],
    });
  });

  it('write only Latin-1 text, which V8 keeps at one byte a character (a kit dashboard is emitted per service)', () => {
    const kits = [
      sloOverviewDashboard(EVERY_SLO, { folder: folder('overview'), dimensions: dimensions.environment }),
      sloDashboard(EVERY_SLO, {
        service: 'checkout',
        folder: folder('tills'),
        dimensions: dimensions.environment,
      }),
      ...services.map(redDashboardOf),
    ];
    const wide = compileAll(kits, build).flatMap((c) =>
      [...JSON.stringify(c.json)].filter((character) => character.codePointAt(0)! > 0xff),
    );
    expect(wide).toEqual([]);
  });

  it('say at the line that asked when the build has no SLO of the service', () => {
    const none = sloDashboard(EVERY_SLO, {
      service: 'warehouse',
      folder: folder('x'),
      dimensions: dimensions.environment,
    });
    const error = errorOf(() => compileAll([none], build));
    expect(error.message).toContain('needs the SLOs of one service, got none');
    expect(error.source?.file).toBe(THIS_FILE);
    expect(() =>
      sloDashboard(EVERY_SLO, { folder: folder('x'), dimensions: dimensions.environment }),
    ).toThrow('got no service');
  });
});
