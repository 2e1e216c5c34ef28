import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as v2 from '@grafana/grafana-foundation-sdk/dashboardv2beta1';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { raw } from '@o11y/catalog';
import { type BuildContext, writeTree } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { dashboard, emitter, grafanaStack, stat } from '../src/index.ts';

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: v2.Dashboard;
}

const context = (): BuildContext => ({
  root: '/nonexistent',
  definitions: [],
  profile: 'default',
  log: () => {},
});
const resourcePath = (uid: string) => `grafana/resources/dashboards/v2beta1/${uid}.json`;
const v2Stack = () => grafanaStack({ prometheusUrl: 'http://prometheus.test:9090', resources: ['v2beta1'] });

describe('dashboard.grafana.app/v2beta1 resources', () => {
  it('lays out a dashboard without rows as one grid', async () => {
    const flat = dashboard('Flat v2').header([
      stat('Up')
        .description('Targets up.')
        .unit(units.Short)
        .query(raw('sum(up)', { labels: [] })),
    ]);
    const out = [...emitter.emit([flat, v2Stack()], context())];
    const resource = JSON.parse(out.find((a) => a.path === resourcePath(flat.uid))!.content) as Resource;
    expect(resource.spec.layout).toEqual({
      kind: 'GridLayout',
      spec: {
        items: [
          {
            kind: 'GridLayoutItem',
            spec: { x: 0, y: 0, width: 6, height: 4, element: { kind: 'ElementReference', name: 'panel-1' } },
          },
        ],
      },
    });
  });

  it('refuses a panel setting it cannot carry over, at the line of the panel', async () => {
    const repeated = dashboard('Repeated v2').row('Row', [
      stat('Per instance')
        .description('Up per instance.')
        .unit(units.Short)
        .query(raw('up', { labels: ['instance'] }))
        .configure((b) => b.repeat('instance')),
    ]);
    expect(() => [...emitter.emit([repeated, v2Stack()], context())]).toThrow(
      expect.objectContaining({
        diagnostics: [
          expect.objectContaining({
            id: 'dashboards/resource-v2',
            message: expect.stringContaining('repeat'),
            source: expect.objectContaining({ file: 'packages/dashboards/test/resources-v2.test.ts' }),
          }),
        ],
      }),
    );
  });

  it('points v2 schema and PromQL errors at the TypeScript line of the panel and of the query', async () => {
    const broken = dashboard('Broken v2').row('Row', [
      stat('Broken')
        .description('A stat with a bad option.')
        .unit(units.Short)
        .query(raw('up', { labels: ['instance'] })),
    ]);
    const build = context();
    const out = [...emitter.emit([broken, v2Stack()], build)];
    const resource = out.find((a) => a.path === resourcePath(broken.uid))!;
    const json = JSON.parse(resource.content) as Resource;
    // A title that is not a string, as a hand edit or converter bug would write it.
    const element = json.spec.elements['panel-2'] as v2.PanelKind;
    (element.spec as unknown as { title: unknown }).title = 42;
    element.spec.data.spec.queries[0]!.spec.query.spec.expr = 'sum(up';
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'o11y-dashboards-v2-broken-'));
    try {
      await writeTree(scratch, [
        ...out.filter((a) => a !== resource),
        { ...resource, content: JSON.stringify(json) },
      ]);
      const problems = await emitter.verify!(out, scratch, build);
      // The element is a PanelKind or a LibraryPanelKind, so ajv reports against both; all at the panel.
      expect(problems.map((p) => p.message)).toContainEqual(
        expect.stringContaining('/spec/elements/panel-2/spec/title: must be string'),
      );
      const file = 'packages/dashboards/test/resources-v2.test.ts';
      const panelAt = { file, line: broken.source.line + 1, column: 7 };
      const queryAt = { file, line: broken.source.line + 4, column: 10 };
      expect(problems.filter((p) => p.id === 'dashboards/schema').map((p) => p.source)).toEqual(
        problems.filter((p) => p.id === 'dashboards/schema').map(() => panelAt),
      );
      const parseProblems = problems.filter((p) => p.id !== 'dashboards/schema');
      expect(parseProblems.length).toBeGreaterThan(0);
      expect(parseProblems.map((p) => [p.id, p.source])).toEqual(
        parseProblems.map(() => ['promql/syntax', queryAt]),
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 60_000); // the first schema check compiles the SDK's schemas with ajv: seconds on a busy machine
});
