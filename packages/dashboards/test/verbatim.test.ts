import { raw } from '@o11y/catalog';
import { expect, it } from 'vitest';

import { dashboard, panel, timeseries, verbatimVariable } from '../src/index.ts';

it('verbatim fields merge over the built panel, row and dashboard; at() fixes the grid position', () => {
  const graph = timeseries('Load')
    .description('load')
    .query(raw('node_load1{instance="$instance"}', { labels: ['instance'] }), '{{instance}}')
    .at(6, 3)
    .span(8, 5)
    .verbatim({
      options: { legend: { calcs: ['mean'] } },
      targets: [{ hide: true }],
      pluginVersion: '9.5.0',
    });
  const built = dashboard('Verbatim')
    .variables(verbatimVariable({ name: 'instance', type: 'custom', query: 'a,b', options: [] }))
    .row(
      'Load',
      [graph, panel('text', 'Notes').verbatim({ options: { content: '# hi', mode: 'markdown' } })],
      {
        verbatim: { repeat: 'instance' },
      },
    )
    .verbatim({ graphTooltip: 0, style: 'dark' })
    .compile().json;
  expect(built).toMatchObject({
    graphTooltip: 0,
    style: 'dark',
    panels: [
      { type: 'row', repeat: 'instance' },
      {
        gridPos: { x: 6, y: 3, w: 8, h: 5 },
        options: { legend: { calcs: ['mean'], displayMode: 'list' } },
        targets: [{ hide: true, expr: 'node_load1{instance="$instance"}' }],
        pluginVersion: '9.5.0',
      },
      { type: 'text', title: 'Notes', options: { content: '# hi' } },
    ],
  });
  expect(built.templating.list).toContainEqual({
    name: 'instance',
    type: 'custom',
    query: 'a,b',
    options: [],
  });
});
