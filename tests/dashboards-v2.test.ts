import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as classic from '@grafana/grafana-foundation-sdk/dashboard';
import type * as v2 from '@grafana/grafana-foundation-sdk/dashboardv2beta1';
import { loadDefinitions } from '@o11y/build';
import { type Artifact, type BuildContext, type Definition, kindOf, writeTree } from '@o11y/core';
import { emitter, grafanaStack, STACK_KIND } from '@o11y/dashboards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: v2.Dashboard;
}

let dir: string;
let definitions: Definition[];
let artifacts: readonly Artifact[];
/** One build's context: verify checks what emit made for the same context. */
let context: BuildContext;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-dashboards-v2-'));
  // The sample organisation as `o11y build` loads it, its stack swapped for one asking for v2 resources.
  const sample = await loadDefinitions(root);
  definitions = [
    ...sample.filter((d) => kindOf(d) !== STACK_KIND),
    grafanaStack({ prometheusUrl: 'http://prometheus.test:9090', resources: ['v2beta1'] }),
  ];
  context = { root, definitions, profile: 'default', log: () => {} };
  artifacts = [
    ...emitter.emit(
      definitions.filter((d) => emitter.kinds.includes(kindOf(d))),
      context,
    ),
  ];
  await writeTree(dir, artifacts);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function written<T>(artifactPath: string): Promise<T> {
  return JSON.parse(await readFile(path.join(dir, artifactPath), 'utf8')) as T;
}

const resourcePath = (uid: string) => `grafana/resources/dashboards/v2beta1/${uid}.json`;

describe('dashboard.grafana.app/v2beta1 resources', () => {
  it("converts every sample dashboard, valid against the SDK's dashboardv2beta1 schema, every query parsed", async () => {
    const classicPaths = artifacts.filter((a) => a.kind === 'grafana/dashboard');
    const resources = artifacts.filter((a) => a.path.startsWith('grafana/resources/dashboards/v2beta1/'));
    expect(classicPaths.length).toBeGreaterThanOrEqual(30);
    expect(resources).toHaveLength(classicPaths.length);
    expect(await emitter.verify!(artifacts, dir, context)).toEqual([]);
  });

  it('keeps every panel as an element, every query, and the classic layout (payments RED)', async () => {
    const classicJson = await written<classic.Dashboard>('grafana/dashboards/payments/payments-red.json');
    const resource = await written<Resource>(resourcePath('payments-red'));
    expect(resource).toMatchObject({
      apiVersion: 'dashboard.grafana.app/v2beta1',
      kind: 'Dashboard',
      metadata: { name: 'payments-red', annotations: { 'grafana.app/folder': expect.any(String) } },
    });
    const { spec } = resource;
    const panels = (classicJson.panels ?? []).filter((p) => p.type !== 'row') as classic.Panel[];
    const rows = (classicJson.panels ?? []).filter((p) => p.type === 'row') as classic.RowPanel[];
    expect(Object.keys(spec.elements)).toHaveLength(panels.length);

    for (const panel of panels) {
      const element = spec.elements[`panel-${panel.id}`] as v2.PanelKind;
      expect(element.spec.title).toBe(panel.title);
      expect(element.spec.vizConfig.group).toBe(panel.type);
      expect(element.spec.vizConfig.spec.fieldConfig.defaults.unit).toBe(panel.fieldConfig?.defaults?.unit);
      const queries = element.spec.data.spec.queries.map((q) => q.spec);
      expect(queries).toHaveLength(panel.targets?.length ?? 0);
      (panel.targets ?? []).forEach((target, i) => {
        const { datasource, refId, ...query } = target as unknown as {
          datasource: classic.DataSourceRef;
          refId: string;
        };
        expect(queries[i]).toEqual({
          refId,
          hidden: false,
          query: {
            kind: 'DataQuery',
            group: datasource.type,
            version: 'v0',
            datasource: { name: datasource.uid },
            spec: query,
          },
        });
        expect(queries[i]!.query.datasource!.name).toMatch(/^\$\{(datasource|loki)\}$/);
      });
    }

    // Rows in order, each a grid whose items sit where the classic gridPos put them, y from the row.
    expect(spec.layout.kind).toBe('RowsLayout');
    const layoutRows = (spec.layout as v2.RowsLayoutKind).spec.rows;
    const hasHeader = (classicJson.panels ?? [])[0]?.type !== 'row';
    expect(layoutRows.map((r) => r.spec.title)).toEqual([
      ...(hasHeader ? [''] : []),
      ...rows.map((r) => r.title),
    ]);
    if (hasHeader) expect(layoutRows[0]!.spec.hideHeader).toBe(true);
    const rowTop = [...(hasHeader ? [0] : []), ...rows.map((r) => r.gridPos!.y + 1)];
    let placed = 0;
    layoutRows.forEach((row, r) => {
      for (const item of (row.spec.layout as v2.GridLayoutKind).spec.items) {
        const panel = panels.find((p) => `panel-${p.id}` === item.spec.element.name)!;
        expect({
          x: item.spec.x,
          y: item.spec.y + rowTop[r]!,
          w: item.spec.width,
          h: item.spec.height,
        }).toEqual(panel.gridPos);
        placed++;
      }
    });
    expect(placed).toBe(panels.length);

    expect(spec.variables.map((v) => [v.kind, v.spec.name])).toEqual(
      (classicJson.templating?.list ?? []).map((v) => [
        v.type === 'query' ? 'QueryVariable' : 'DatasourceVariable',
        v.name,
      ]),
    );
    const environment = spec.variables.find((v) => v.spec.name === 'environment') as v2.QueryVariableKind;
    expect(environment.spec.query).toMatchObject({
      group: 'prometheus',
      datasource: { name: expect.stringMatching(/^\$\{datasource\}$/) },
      spec: { query: expect.stringMatching(/^label_values\(/) },
    });
    expect(spec.annotations.map((a) => a.spec.name)).toEqual(['Annotations & Alerts', 'Deployments']);
    expect(spec.annotations[1]!.spec.query.spec).toMatchObject({
      type: 'tags',
      tags: ['deployment', 'payments'],
    });
    expect(spec.links.map((l) => l.title)).toEqual((classicJson.links ?? []).map((l) => l.title));
    expect(spec.timeSettings).toMatchObject({
      from: 'now-6h',
      to: 'now',
      autoRefresh: '1m',
      timezone: 'browser',
    });
    expect(spec.cursorSync).toBe('Crosshair');
  });

  it('keeps fixed windows (the query interval) of the sample dashboards', async () => {
    const intervals = async (kind: 'classic' | 'v2') => {
      const found: string[] = [];
      for (const artifact of artifacts) {
        if (kind === 'classic' && artifact.kind === 'grafana/dashboard') {
          const json = await written<{ panels: { id: number; targets?: { interval?: string }[] }[] }>(
            artifact.path,
          );
          for (const p of json.panels)
            for (const t of p.targets ?? []) if (t.interval) found.push(`${p.id}:${t.interval}`);
        }
        if (kind === 'v2' && artifact.path.startsWith('grafana/resources/dashboards/v2beta1/')) {
          const { spec } = await written<Resource>(artifact.path);
          for (const element of Object.values(spec.elements) as v2.PanelKind[]) {
            for (const q of element.spec.data.spec.queries) {
              if (q.spec.query.spec.interval) found.push(`${element.spec.id}:${q.spec.query.spec.interval}`);
            }
          }
        }
      }
      return found.sort();
    };
    const classicIntervals = await intervals('classic');
    expect(classicIntervals).toContainEqual(expect.stringMatching(/:1h$/));
    expect(await intervals('v2')).toEqual(classicIntervals);
  });
});
