import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { classicFromV2 } from '../src/dashboards/v2.ts';
import type { Json } from '../src/json.ts';
import { FIXTURES } from './scratch.ts';

const storage = async () => {
  const resource = parse(await readFile(path.join(FIXTURES, 'dashboards-v2/storage.v2.yaml'), 'utf8'));
  const lost: string[] = [];
  return { json: classicFromV2(resource.spec, resource.metadata.name, lost), lost };
};

test('rows lay out one below the other, a collapsed row holds its panels, a headerless first row is the header', async () => {
  const { json, lost } = await storage();
  const panels = json.panels as Json[];
  expect(panels.map((p) => [p.type, p.title, p.gridPos])).toEqual([
    ['stat', 'Request rate', { x: 0, y: 0, w: 6, h: 4 }],
    ['row', 'Latency', { x: 0, y: 4, w: 24, h: 1 }],
    ['timeseries', 'Latency by bucket', { x: 0, y: 5, w: 12, h: 8 }],
    ['row', 'Details', { x: 0, y: 13, w: 24, h: 1 }],
  ]);
  expect(panels[3]).toMatchObject({ collapsed: true, panels: [{ title: 'Objects', gridPos: { y: 14 } }] });
  expect(panels[2]).toMatchObject({
    repeat: 'bucket',
    repeatDirection: 'h',
    maxPerRow: 2,
    maxDataPoints: 500,
  });
  expect(panels[0]!.targets).toEqual([
    {
      refId: 'A',
      datasource: { type: 'prometheus', uid: `\${datasource}` },
      expr: 'sum(rate(storage_requests_total{bucket=~"$bucket"}[$window]))',
      legendFormat: 'requests',
    },
  ]);
  expect(lost).toEqual([]);
});

test('variables, annotations and time settings take their classic fields and codes', async () => {
  const { json } = await storage();
  const variables = (json.templating as { list: Json[] }).list;
  expect(variables.map((v) => [v.name, v.type, v.hide, v.refresh, v.sort])).toEqual([
    ['datasource', 'datasource', 0, 1, undefined],
    ['bucket', 'query', 0, 2, 1],
    ['quantile', 'custom', 0, undefined, undefined],
    ['window', 'interval', 0, 2, undefined],
    ['tier', 'constant', 2, undefined, undefined],
    ['prefix', 'textbox', 0, undefined, undefined],
  ]);
  expect(variables[0]!.query).toBe('prometheus');
  expect(variables[1]).toMatchObject({
    datasource: { type: 'prometheus', uid: `\${datasource}` },
    query: { query: 'label_values(storage_requests_total, bucket)', qryType: 1 },
  });
  expect(json).toMatchObject({
    uid: 'object-storage',
    graphTooltip: 1,
    time: { from: 'now-3h', to: 'now' },
    refresh: '30s',
    annotations: { list: [{ builtIn: 1, type: 'dashboard', datasource: { type: 'grafana' } }] },
  });
  // Grafana's default refresh intervals are the classic model's unset timepicker.
  expect(json.timepicker).toBeUndefined();
});

test('a layout item without a whole-number place on the grid is refused, naming the element', () => {
  const spec = {
    title: 'Broken',
    elements: { 'panel-1': { kind: 'Panel', spec: { id: 1, title: 'A' } } },
    layout: {
      kind: 'GridLayout',
      spec: {
        items: [{ kind: 'GridLayoutItem', spec: { x: 0, y: 0, height: 8, element: { name: 'panel-1' } } }],
      },
    },
  };
  expect(() => classicFromV2(spec, undefined, [])).toThrow(
    'element panel-1 has no place on the grid (x, y, width and height as whole numbers)',
  );
});
