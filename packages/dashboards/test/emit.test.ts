import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { max, raw } from '@o11y/catalog';
import { type BuildContext, writeTree } from '@o11y/core';
import { init } from '@o11y/promql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import {
  Dashboard,
  dashboard,
  emitter,
  folder,
  goldenSignalsDashboard,
  grafanaStack,
  logs,
  stat,
  timeseries,
} from '../src/index.ts';
import { conventionViolations, type DashboardJson } from './conventions.ts';
import {
  dimensions,
  httpConventions,
  httpRequestDurationSeconds,
  redDashboardOf,
  services,
  up,
} from './fixture.ts';

const context = (definitions: BuildContext['definitions'] = []): BuildContext => ({
  root: '/nonexistent',
  definitions,
  profile: 'default',
  log: () => {},
});

const reds = services.map(redDashboardOf);
// Golden signals over both namings, with a saturation row of the organisation's own (folder `overview`).
const goldenSignals = goldenSignalsDashboard({
  http: [httpConventions['prom-client'], httpConventions.otel],
  up,
  folder: folder('overview', 'Overview'),
  dimensions: dimensions.environment,
  thresholds: { errorRatio: 0.01, p95Latency: 0.5 },
  saturation: (byService) => [
    timeseries('Slowest bucket')
      .description('d')
      .unit(units.Short)
      .query(max(byService(httpRequestDurationSeconds.bucket)).by('job'), '{{job}}'),
  ],
});
const definitions: Dashboard[] = [...reds, goldenSignals];
/** The backends of a stack, as an organisation names them. */
const urls = { prometheusUrl: 'http://prometheus.test:9090' };
const fullStack = {
  ...urls,
  alertmanagerUrl: 'http://alertmanager.test:9093',
  jaegerUrl: 'http://jaeger.test:16686',
  lokiUrl: 'http://loki.test:3100',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-dashboards-'));
  await init();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('emitter', () => {
  it('writes dashboards in team folders with grafana/folders.json, resources and provisioning, all schema-valid', async () => {
    const stack = grafanaStack({ ...fullStack, resources: ['v1'] });
    const build = context();
    const artifacts = [...emitter.emit([...definitions, stack], build)];
    await writeTree(dir, artifacts);
    const paths = artifacts.map((a) => a.path);
    expect(paths).toContain('grafana/dashboards/tills/checkout-red.json');
    expect(paths).toContain('grafana/folders.json');
    // Grafana's file provider would load any other JSON under the dashboards path as a dashboard.
    for (const artifact of artifacts.filter((a) => a.path.startsWith('grafana/dashboards/'))) {
      expect(artifact.kind).toBe('grafana/dashboard');
    }
    expect(paths).toContain('grafana/resources/dashboards/v1/checkout-red.json');
    expect(paths).toContain('grafana/provisioning/dashboards/o11y.yaml');
    expect(paths).toContain('grafana/provisioning/datasources/o11y.yaml');
    expect(await emitter.verify!(artifacts, dir, build)).toEqual([]);

    const folders = JSON.parse(await readFile(path.join(dir, 'grafana/folders.json'), 'utf8'));
    expect(Object.keys(folders)).toEqual([...new Set(services.map((s) => s.team)), 'overview'].sort());
    const folderJson = folders.tills;
    expect(folderJson).toEqual({ uid: expect.any(String), title: 'Tills' });
    const resource = JSON.parse(
      await readFile(path.join(dir, 'grafana/resources/dashboards/v1/checkout-red.json'), 'utf8'),
    );
    expect(resource).toMatchObject({
      apiVersion: 'dashboard.grafana.app/v1',
      kind: 'Dashboard',
      metadata: { name: 'checkout-red', annotations: { 'grafana.app/folder': folderJson.uid } },
    });
    const datasources = parse(
      await readFile(path.join(dir, 'grafana/provisioning/datasources/o11y.yaml'), 'utf8'),
    );
    expect(datasources.datasources.map((d: { type: string }) => d.type).sort()).toEqual([
      'alertmanager',
      'jaeger',
      'loki',
      'prometheus',
    ]);
    expect(datasources.datasources[0].jsonData.exemplarTraceIdDestinations[0].datasourceUid).toBe(
      'o11y-jaeger',
    );
  });

  it('writes dashboard.grafana.app resources only on request', async () => {
    const unrequested = [...emitter.emit([...definitions, grafanaStack(urls)], context())];
    expect(unrequested.filter((a) => a.kind === 'grafana/resource')).toEqual([]);
    const requested = [
      ...emitter.emit([...definitions, grafanaStack({ ...urls, resources: ['v1'] })], context()),
    ];
    expect(requested.filter((a) => a.kind === 'grafana/resource').map((a) => a.path)).toHaveLength(
      definitions.length,
    );
  });

  it('provisions only the backends the stack names, and no datasource without a stack', async () => {
    const without = [...emitter.emit(definitions, context())].map((a) => a.path);
    expect(without).toContain('grafana/provisioning/dashboards/o11y.yaml');
    expect(without).not.toContain('grafana/provisioning/datasources/o11y.yaml');
    const artifacts = [...emitter.emit([...definitions, grafanaStack(urls)], context())];
    const file = artifacts.find((a) => a.path === 'grafana/provisioning/datasources/o11y.yaml')!;
    const { datasources } = parse(file.content);
    expect(datasources).toEqual([
      expect.objectContaining({
        type: 'prometheus',
        url: urls.prometheusUrl,
        jsonData: { httpMethod: 'POST' },
      }),
    ]);
    expect(file.source.file).toBe('packages/dashboards/test/emit.test.ts');
  });

  it('refuses a stack without Prometheus or with a URL that is not one, at its line', () => {
    // @ts-expect-error: prometheusUrl is required by the type too; this is what plain JavaScript gets.
    expect(() => grafanaStack({})).toThrow(expect.objectContaining({ id: 'dashboards/stack-url' }));
    expect(() => grafanaStack({ prometheusUrl: 'prometheus port 9090' })).toThrow(
      expect.objectContaining({
        id: 'dashboards/stack-url',
        source: expect.objectContaining({ file: 'packages/dashboards/test/emit.test.ts' }),
      }),
    );
  });

  it('rejects a resource version it cannot write, at the line that asked for it', () => {
    let thrown: unknown;
    try {
      // @ts-expect-error v0alpha1 is not a version the emitter converts to
      grafanaStack({ ...urls, resources: ['v0alpha1'] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      id: 'dashboards/resource-version',
      message: expect.stringContaining('dashboard.grafana.app/v0alpha1'),
      source: { file: 'packages/dashboards/test/emit.test.ts', line: expect.any(Number) },
    });
  });

  it('emits byte-identical output on every run', async () => {
    const first = [...emitter.emit(definitions, context())];
    const second = [...emitter.emit(definitions, context())];
    expect(second.map((a) => a.content)).toEqual(first.map((a) => a.content));
  });

  it("makes each file when the build asks for it: one dashboard's text at a time, not the whole organisation's", async () => {
    const build = context(definitions);
    await emitter.model!(definitions, build);
    const stringify = vi.spyOn(JSON, 'stringify');
    const artifacts = emitter.emit(definitions, build);
    expect(artifacts.next().value?.kind).toBe('grafana/dashboard');
    expect(stringify).toHaveBeenCalledTimes(1);
    const rest = [...artifacts].filter((a) => a.kind === 'grafana/dashboard');
    expect(rest).toHaveLength(definitions.length - 1);
    stringify.mockRestore();
  });

  it('compiles each dashboard once when the build models before it emits, with the same output', async () => {
    const compiles = vi.spyOn(Dashboard.prototype, 'compile');
    const alone = [...emitter.emit(definitions, context())];
    expect(compiles).toHaveBeenCalledTimes(definitions.length);
    compiles.mockClear();
    const build = context(definitions);
    await emitter.model!(definitions, build);
    const afterModel = [...emitter.emit(definitions, build)];
    expect(compiles).toHaveBeenCalledTimes(definitions.length);
    expect(afterModel).toEqual(alone);
    // Another build, or another set of definitions, compiles its own.
    compiles.mockClear();
    await emitter.model!(definitions, build);
    [...emitter.emit(definitions.slice(1), build)];
    [...emitter.emit(definitions, build)];
    expect(compiles).toHaveBeenCalledTimes(3 * definitions.length - 1);
    compiles.mockRestore();
  });

  it('follows every convention on every emitted dashboard', async () => {
    const artifacts = [...emitter.emit(definitions, context())].filter((a) => a.kind === 'grafana/dashboard');
    expect(artifacts).toHaveLength(definitions.length);
    const uids = new Set<string>();
    for (const artifact of artifacts) {
      const json = JSON.parse(artifact.content) as DashboardJson;
      expect(uids.has(json.uid)).toBe(false);
      uids.add(json.uid);
      const variables = json.templating.list.map((v) => v.name);
      expect(conventionViolations(json, variables)).toEqual([]);
    }
    const red = JSON.parse(
      artifacts.find((a) => a.path.endsWith('/checkout-red.json'))!.content,
    ) as DashboardJson;
    expect(red.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'loki',
      'environment',
      'job',
      'instance',
    ]);
    expect(red.panels.some((p) => p.type === 'logs')).toBe(true);
    expect(red.links?.some((l) => l.tags?.includes('service:checkout'))).toBe(true);
  });

  it('the convention checks catch a broken dashboard', () => {
    const broken = {
      uid: 'broken',
      title: 'Broken',
      annotations: { list: [] },
      templating: { list: [] },
      panels: [
        {
          id: 1,
          type: 'timeseries',
          title: 'x',
          datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' },
          targets: [{ expr: 'sum by (route) (rate(http_requests_total[5m]))', legendFormat: '{{method}}' }],
        },
      ],
    } as DashboardJson;
    expect(conventionViolations(broken, [])).toEqual(
      expect.arrayContaining([
        'broken: no Prometheus datasource variable',
        'broken: no deployments annotation',
        'broken panel 1 "x": datasource uid "P1809F7CD0C75ACF3" is not a variable',
        'broken panel 1 "x": no description',
        'broken panel 1 "x": no unit',
        'broken panel 1 "x": rate without $__rate_interval in sum by (route) (rate(http_requests_total[5m]))',
        'broken panel 1 "x": legend uses {{method}}, not returned by sum by (route) (rate(http_requests_total[5m]))',
      ]),
    );
  });

  it('points a query that does not parse at its TypeScript line', async () => {
    const board = dashboard('Bad query').row('r', [
      stat('x')
        .description('d')
        .unit(units.Short)
        .query(raw('sum(up', { labels: [] })),
    ]);
    const build = context();
    const artifacts = [...emitter.emit([board], build)];
    await writeTree(dir, artifacts);
    const problems = await emitter.verify!(artifacts, dir, build);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatchObject({
        id: 'promql/syntax',
        source: { file: 'packages/dashboards/test/emit.test.ts' },
      });
    }
  });

  it('points a LogQL query that does not parse at its TypeScript line, with a caret under the mistake', async () => {
    const board = dashboard('Bad logs').row('r', [
      logs('Errors').description('d').logql('{service="payments" |= "timeout"'),
    ]);
    const build = context();
    const artifacts = [...emitter.emit([board], build)];
    await writeTree(dir, artifacts);
    const problems = await emitter.verify!(artifacts, dir, build);
    expect(problems).toEqual([
      expect.objectContaining({
        id: 'logql/syntax',
        message:
          'LogQL query A of panel "Errors" does not parse at line 1 column 21: unexpected "|="\n' +
          '    {service="payments" |= "timeout"\n' +
          '                        ^^',
        source: expect.objectContaining({ file: 'packages/dashboards/test/emit.test.ts' }),
      }),
    ]);
  });

  it('provides the dashboards model with panels, queries, thresholds and variables', async () => {
    const model = await emitter.model!(definitions, context());
    const payments = model.dashboards!.find((d) => d.uid === 'checkout-red')!;
    expect(payments.folder).toBe('tills');
    expect(payments.variables.map((v) => v.name)).toContain('environment');
    expect(payments.panels.find((p) => p.title === 'p95 latency')).toMatchObject({
      unit: units.Seconds,
      thresholds: [0.5],
    });
  });
});
