import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareDashboards, type ImportReport } from '../src/index.ts';
import { o11y } from './cli.ts';
import { FIXTURES, REPO, scratchOrganisation } from './scratch.ts';

const DASHBOARDS = path.join(FIXTURES, 'dashboards');
const V2_DASHBOARDS = path.join(FIXTURES, 'dashboards-v2');

/** Imports `dir` into a scratch copy of the organisation with --verify, which must succeed. */
async function verifiedImport(dir: string) {
  const org = await scratchOrganisation();
  const run = await o11y(org.root, 'import', dir, '--verify', '--format', 'json');
  expect(run.code).toBe(0);
  return { org, report: JSON.parse(run.stdout) as ImportReport, verifyMessage: run.stderr };
}

describe('o11y import of Grafana dashboards', () => {
  let org: Awaited<ReturnType<typeof scratchOrganisation>>;
  let report: ImportReport;
  let verifyMessage: string;

  beforeAll(async () => {
    ({ org, report, verifyMessage } = await verifiedImport(DASHBOARDS));
    expect(verifyMessage).toContain('every dashboard to the same JSON');
  }, 300_000);
  afterAll(() => org.remove());

  test('a shared export with graph panels, an API envelope, a ConfigMap and a v1 resource round-trip through o11y build', () => {
    expect(verifyMessage).not.toContain('differences');
    expect(report.written).toEqual([
      'catalog/imported/index.ts',
      'catalog/imported/kubernetes-workloads.ts',
      'catalog/imported/queue-workers-legacy.ts',
      'catalog/index.ts',
      'dashboards/blackbox-probes-resource.ts',
      'dashboards/blackbox-probes.ts',
      'dashboards/hosts-node-exporter.ts',
      'dashboards/kubernetes-workloads.ts',
      'dashboards/queue-workers-legacy.ts',
    ]);
  });

  test('the metrics the queries read are declared in the catalogue, typed from how the queries use them', async () => {
    const kube = report.inferred.filter((t) => t.module === 'catalog/imported/kubernetes-workloads.ts');
    expect(kube).toContainEqual(
      expect.objectContaining({ metric: 'container_cpu_usage_seconds_total', type: 'counter' }),
    );
    expect(kube).toContainEqual(
      expect.objectContaining({ metric: 'kube_pod_container_status_restarts_total', type: 'counter' }),
    );
    // The node exporter's metrics are the sample catalogue's already: not declared twice.
    expect(report.inferred.map((t) => t.metric)).not.toContain('node_cpu_seconds_total');
    const declared = await readFile(path.join(org.root, 'catalog/imported/kubernetes-workloads.ts'), 'utf8');
    expect(declared).toContain('// Declared by o11y import for dashboards/kubernetes-workloads.ts');
    expect(declared).toContain("counter('container_cpu_usage_seconds_total'");
    // A job the dashboard only names through $job is no job of the catalogue.
    expect(declared).not.toMatch(/job\('[^']*\$/);
  });

  test('the modules read like builder code and typecheck and pass biome', async () => {
    const node = await readFile(path.join(org.root, 'dashboards/hosts-node-exporter.ts'), 'utf8');
    expect(node).toContain("export const hostsNodeExporter = dashboard('Hosts (node exporter)')");
    expect(node).toContain('const CPU_BUSY_ORANGE = 85;');
    expect(node).toContain(".threshold(CPU_BUSY_ORANGE, { color: 'orange' })");
    expect(node).toContain(".row('CPU / Memory', [");
    expect(node).toContain("timeseries('CPU usage')");
    expect(node).toContain(".unit('percentunit')");
    expect(node).toContain('.at(0, 5)');
    // The export's datasource input is the dashboard's ${datasource} variable, not DS_PROMETHEUS.
    expect(node).not.toContain('DS_PROMETHEUS}');
    const kube = await readFile(path.join(org.root, 'dashboards/kubernetes-workloads.ts'), 'utf8');
    expect(kube).toContain(`const LOKI_DATASOURCE = { type: 'loki', uid: '\${loki}' } as const;`);
    expect(kube).toContain("{ verbatim: { repeat: 'namespace' } }");
    expect(kube).toContain("repeat: 'container'");
    expect(kube).toContain("table('Container resources')");
    expect(kube).toContain("panel('heatmap', 'Latency heatmap')");
    const run = promisify(execFile);
    await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], {
      cwd: org.root,
    });
    await run(
      process.execPath,
      [path.join(REPO, 'node_modules/@biomejs/biome/bin/biome'), 'check', ...report.written],
      { cwd: org.root },
    );
  }, 120_000);

  test('old graph panels are migrated as Grafana does, and what does not migrate is reported', () => {
    const normalised = report.normalisations.map((n) => n.what);
    expect(normalised).toContain('panel "CPU usage": graph migrated to timeseries as Grafana migrates it');
    expect(normalised).toContain(
      'panel "Oldest message": singlestat migrated to stat as Grafana migrates it',
    );
    expect(normalised).toContain(`export input \${DS_PROMETHEUS} → the dashboard's \${datasource} variable`);
    expect(normalised).toContain('row "Containers": collapsed row expanded (its panels follow it)');
    const lost = report.lost.map((l) => `${l.input}: ${l.what}`);
    expect(lost).toContainEqual(
      expect.stringMatching(/node-shared\.json: panel "Disk IO": 1 graph series override\(s\) not migrated/),
    );
    expect(report.normalisations).toContainEqual({
      input: expect.stringMatching(/queue-legacy\.json$/),
      what: 'legacy rows (schemaVersion < 16) laid out on the grid as row panels',
    });
  });

  test('the folder an API envelope or a resource names is the folder of the dashboard, built into it', async () => {
    const kube = await readFile(path.join(org.root, 'dashboards/kubernetes-workloads.ts'), 'utf8');
    expect(kube).toContain("const PLATFORM_FOLDER = folder('platform', 'Platform');");
    expect(kube).toContain('.folder(PLATFORM_FOLDER)');
    const probes = await readFile(path.join(org.root, 'dashboards/blackbox-probes-resource.ts'), 'utf8');
    expect(probes).toContain("const PROBES_FOLDER = folder('probes');");
    const normalised = report.normalisations.map((n) => `${n.input}: ${n.what}`);
    expect(normalised).toContainEqual(
      expect.stringMatching(
        /probes\.v1\.json: folder uid probes → folder\("probes"\), titled "Probes" \(the resource names its folder by uid only\)/,
      ),
    );
    const lost = report.lost.map((l) => `${l.input}: ${l.what}`);
    expect(lost).toContainEqual(
      expect.stringMatching(
        /k8s-workloads\.api\.json: folder uid platform: the builders derive the uid folder-platform from the folder's path/,
      ),
    );
  });

  test('legacy rows become rows on the grid, their graphs timeseries', async () => {
    const legacy = await readFile(path.join(org.root, 'dashboards/queue-workers-legacy.ts'), 'utf8');
    expect(legacy).toContain(".row('Backlog', [");
    expect(legacy).toMatch(/\.row\(\s*'Workers',/);
    expect(legacy).toContain("timeseries('Queue depth')");
    expect(legacy).toContain('.at(0, 1)');
    expect(legacy).toContain('.span(12, 9)');
    expect(legacy).toContain("stat('Oldest message')");
    expect(legacy).toContain("gauge('Busy workers')");
    expect(legacy).toContain(".unit('suffix: jobs')");
    expect(legacy).toContain("drawStyle: 'bars'");
  });

  test('every option the builders do not model is kept verbatim and listed', () => {
    const kept = new Map(report.passthrough.map((p) => [`${p.module}: ${p.item}`, p.reason]));
    expect(kept.get('dashboards/hosts-node-exporter.ts: panel "CPU usage"')).toContain(
      'options.legend.calcs',
    );
    expect(kept.get('dashboards/hosts-node-exporter.ts: panel "About" type text')).toContain(
      'panel(type, title)',
    );
    expect(kept.get('dashboards/kubernetes-workloads.ts: panel "Container resources"')).toContain(
      'transformations',
    );
    expect(kept.get('dashboards/kubernetes-workloads.ts: variable resolution')).toBe(
      'not modelled by intervalVariable(), kept with withVerbatim(): current.text, current.value',
    );
    expect(kept.get('dashboards/kubernetes-workloads.ts: variable Filters')).toBe(
      'kept with verbatimVariable(): no typed builder for adhoc variables',
    );
    expect(kept.get('dashboards/blackbox-probes.ts: panel "Up"')).toContain('fieldConfig.defaults.mappings');
  });

  test('the comparison sees a changed query, a lost option and a missing variable', async () => {
    const built = JSON.parse(
      await readFile(path.join(REPO, 'packages/import/test/fixtures/dashboards/probes.v1.json'), 'utf8'),
    ).spec;
    const input = structuredClone(built);
    expect(compareDashboards(input, built)).toEqual([]);
    built.panels[1].targets[0].expr = 'probe_duration_seconds';
    delete built.panels[0].fieldConfig.defaults.mappings;
    built.templating.list = [];
    expect(compareDashboards(input, built)).toEqual([
      'variable target: missing from the build',
      'panel 0 "Up" fieldConfig.defaults.mappings: differs',
      'panel 1 "Probe duration" targets: differs',
    ]);
  });

  test('a v2 layout without a classic equivalent is refused with the reason, and nothing is written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-import-tabs-'));
    const tabs = (await readFile(path.join(FIXTURES, 'dashboards-v2/checkout.v2.yaml'), 'utf8')).replace(
      /layout:\n {4}kind: GridLayout\n {4}spec:/,
      'layout:\n    kind: TabsLayout\n    spec:\n      tabs: []\n    unused:',
    );
    await writeFile(path.join(dir, 'tabs.yaml'), tabs);
    const run = await o11y(org.root, 'import', dir, '--dry-run');
    await rm(dir, { recursive: true, force: true });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('dashboard.grafana.app v2 resources without a classic equivalent');
    expect(run.stderr).toContain('a TabsLayout (GridLayout and RowsLayout of GridLayouts are converted)');
    expect(run.stderr).toContain('export the dashboard as classic JSON');
  }, 120_000);
});

describe('o11y import of dashboard.grafana.app v2 resources', () => {
  let org: Awaited<ReturnType<typeof scratchOrganisation>>;
  let report: ImportReport;
  let verifyMessage: string;

  beforeAll(async () => {
    ({ org, report, verifyMessage } = await verifiedImport(V2_DASHBOARDS));
  }, 300_000);
  afterAll(() => org.remove());

  test('grid and rows layouts, variables and queries round-trip through their classic equivalent', () => {
    expect(verifyMessage).toContain('every dashboard to the same JSON');
    expect(verifyMessage).not.toContain('differences');
    expect(report.written).toEqual([
      'catalog/imported/index.ts',
      'catalog/imported/object-storage.ts',
      'catalog/index.ts',
      'dashboards/checkout.ts',
      'dashboards/object-storage.ts',
    ]);
    expect(report.normalisations).toContainEqual({
      input: expect.stringMatching(/storage\.v2\.yaml$/),
      what: expect.stringMatching(
        /^dashboard\.grafana\.app\/v2beta1 resource converted to the classic model/,
      ),
    });
  });

  test('elements become typed panels at their place, rows keep their order, variables their kinds', async () => {
    const storage = await readFile(path.join(org.root, 'dashboards/object-storage.ts'), 'utf8');
    expect(storage).toContain("export const objectStorage = dashboard('Object storage')");
    expect(storage).toContain(".withUid('object-storage')");
    expect(storage).toContain("const STORAGE_FOLDER = folder('storage');");
    expect(storage).toMatch(/\.header\(\[\s*stat\('Request rate'\)/);
    expect(storage).toContain(".unit('reqps')");
    expect(storage).toContain('const REQUEST_RATE_RED = 500;');
    expect(storage).toContain(".row('Latency', [");
    expect(storage).toContain("timeseries('Latency by bucket')");
    expect(storage).toMatch(/\.at\(0, 5\)\s*\.span\(12, 8\)/);
    expect(storage).toContain("repeat: 'bucket'");
    expect(storage).toContain("table('Objects')");
    expect(storage).toContain(".row('Details', [");
    expect(storage).toContain("intervalVariable('window', ['1m', '5m', '15m'])");
    expect(storage).toContain("customVariable('quantile', ['0.5', '0.9', '0.99'])");
    expect(storage).toContain(
      "labelValues('bucket', raw('storage_requests_total', { labels: ['bucket'] }), { title: 'Bucket' })",
    );
    const checkout = await readFile(path.join(org.root, 'dashboards/checkout.ts'), 'utf8');
    expect(checkout).toContain("timeseries('Requests')");
    expect(checkout).toMatch(/\.at\(0, 0\)\s*\.span\(12, 8\)/);
  });
});
