import { expect, test } from 'vitest';
import { generateDashboard } from '../src/dashboards/generate.ts';
import { loadDashboardInputs } from '../src/dashboards/load.ts';

const DASHBOARD = {
  title: 'Variables',
  uid: 'variables',
  schemaVersion: 27,
  panels: [{ type: 'text', title: 'Notes', gridPos: { x: 0, y: 0, w: 24, h: 3 } }],
  templating: {
    list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus', hide: 0, options: [], current: {} },
      {
        name: 'job',
        type: 'query',
        label: 'Job',
        datasource: '$datasource',
        query: { query: 'label_values(up, job)', refId: 'StandardVariableQuery' },
        refresh: 2,
        sort: 1,
        multi: true,
        includeAll: true,
        allValue: '.+',
        options: [],
        current: {},
        hide: 0,
        regex: '',
        skipUrlSync: false,
        useTags: false,
        tags: [],
      },
      { name: 'instance', type: 'query', query: 'label_values(up{job="$job"}, instance)', refresh: 1 },
      {
        name: 'quantile',
        type: 'custom',
        query: '0.5,0.99',
        current: { text: '0.99', value: '0.99' },
        options: [
          { text: '0.5', value: '0.5' },
          { text: '0.99', value: '0.99' },
        ],
      },
      { name: 'tier', type: 'constant', query: 'gold', hide: 2 },
      { name: 'window', type: 'interval', query: '1m,5m' },
      { name: 'search', type: 'textbox', query: '' },
      {
        name: 'filters',
        type: 'adhoc',
        datasource: { type: 'prometheus', uid: `\${datasource}` },
        filters: [],
      },
    ],
  },
};

const generated = () => {
  const [input] = loadDashboardInputs('variables.json', JSON.stringify(DASHBOARD)).dashboards;
  return generateDashboard(input!, 'dashboards/variables.ts');
};

// The module before biome formats it: JSON spelling.
test('each variable type the builders have goes through its typed builder; Grafana defaults are not kept', () => {
  const { module, passthrough } = generated();
  expect(module.content).toContain('const datasourceVariable = datasourcePicker("prometheus");');
  expect(module.content).toContain(
    'const jobVariable = labelValues("job", raw("up", { labels: ["job"] }), { title: "Job" });',
  );
  expect(module.content).toContain(
    'const quantileVariable = withVerbatim(customVariable("quantile", ["0.5", "0.99"]), { current: { text: "0.99", value: "0.99" } });',
  );
  expect(module.content).toContain('const tierVariable = constantVariable("tier", "gold");');
  expect(module.content).toContain('const windowVariable = intervalVariable("window", ["1m", "5m"]);');
  expect(module.content).toContain('const searchVariable = textboxVariable("search", "");');
  const kept = new Map(passthrough.map((p) => [p.item, p.reason]));
  expect(kept.get('variable filters')).toBe(
    'kept with verbatimVariable(): no typed builder for adhoc variables',
  );
  expect(kept.get('variable quantile')).toBe(
    'not modelled by customVariable(), kept with withVerbatim(): current.text, current.value',
  );
  for (const typed of ['datasource', 'job', 'tier', 'window', 'search'])
    expect(kept.has(`variable ${typed}`)).toBe(false);
});

test('what labelValues would change is kept: its sort, refresh and all value are not Grafana defaults', () => {
  const { module, passthrough } = generated();
  expect(module.content).toContain(
    'withVerbatim(labelValues("instance", raw("up{job=\\"$job\\"}", { labels: ["instance"] }), { multi: false }), { refresh: 1, sort: 0 })',
  );
  expect(passthrough).toContainEqual({
    module: 'dashboards/variables.ts',
    item: 'variable instance',
    reason: 'not modelled by labelValues(), kept with withVerbatim(): refresh, sort',
  });
});

test('the comparison reads variables as Grafana does: defaults, derived options and tag fields dropped', () => {
  const { compared, normalisations } = generated();
  const variables = (compared.templating as { list: Record<string, unknown>[] }).list;
  expect(variables[1]).toEqual({
    name: 'job',
    type: 'query',
    label: 'Job',
    datasource: { type: 'prometheus', uid: `\${datasource}` },
    query: 'label_values(up, job)',
    refresh: 2,
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: '.+',
  });
  expect(variables[3]).toEqual({
    name: 'quantile',
    type: 'custom',
    query: '0.5,0.99',
    current: { text: '0.99', value: '0.99' },
  });
  expect(normalisations).toContainEqual(expect.stringMatching(/^variable fields at Grafana's defaults/));
});
