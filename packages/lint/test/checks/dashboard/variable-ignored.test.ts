import { defineCatalog, defineDimensions, defineLogStreams } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { variableIgnored } from '../../../src/checks/dashboard/variable-ignored.ts';
import { httpDuration, httpRequests, memoryAvailable, up } from '../../catalog.ts';
import { dashboard, run } from '../../helpers.ts';

const templating = {
  list: [
    { name: 'datasource', type: 'datasource', query: 'prometheus' },
    { name: 'route', type: 'query', query: 'label_values(http_requests_total, route)' },
  ],
};

/** `${route}`, Grafana's braced spelling of the variable. */
const BRACED = '$' + '{route}';

function board(...exprs: string[]) {
  return {
    'dashboard.json': dashboard(
      exprs.map((expr, i) => ({ title: `Panel ${i + 1}`, targets: [{ expr }] })),
      { templating },
    ),
  };
}

describe('dashboard/variable-ignored', () => {
  it('reports the panel whose series carry the label but whose queries ignore the variable', async () => {
    const findings = await run(
      variableIgnored,
      board(
        'sum(rate(http_requests_total{route=~"$route"}[$__rate_interval]))',
        'sum(rate(http_requests_total[$__rate_interval]))',
      ),
    );
    expect(findings.map((f) => [f.message, f.hint])).toEqual([
      [
        'panel "Panel 2" ignores $route: its series carry "route", but no query filters by it',
        'add route=~"$route" to its selectors',
      ],
    ]);
  });

  it('accepts the braced and [[route]] spellings, and panels whose series cannot carry the label', async () => {
    const findings = await run(
      variableIgnored,
      board(
        `sum(rate(http_requests_total{route=~"${BRACED}"}[$__rate_interval]))`,
        'sum(rate(http_requests_total{route=~"[[route]]"}[$__rate_interval]))',
        'sum(node_memory_available_bytes)',
      ),
    );
    expect(findings).toEqual([]);
  });

  it('holds every panel to a $cluster of external_labels: the central store puts it on every series', async () => {
    const files = {
      'dashboard.json': dashboard(
        [
          { title: 'Filtered', targets: [{ expr: 'sum(node_memory_available_bytes{cluster=~"$cluster"})' }] },
          { title: 'Unfiltered', targets: [{ expr: 'sum(node_memory_available_bytes)' }] },
        ],
        {
          templating: {
            list: [
              { name: 'datasource', type: 'datasource', query: 'prometheus' },
              { name: 'cluster', type: 'query', query: 'label_values(up, cluster)' },
            ],
          },
        },
      ),
    };
    const clustered = defineCatalog([httpRequests, httpDuration, memoryAvailable, up], {
      dimensions: defineDimensions({ cluster: { source: 'external_labels' } }),
    });
    const findings = await run(variableIgnored, files, { catalog: clustered });
    expect(findings.map((f) => f.message)).toEqual([
      'panel "Unfiltered" ignores $cluster: its series carry "cluster", but no query filters by it',
    ]);
  });
  it('reports a log panel that ignores a variable of a label the log streams carry', async () => {
    const loki = { type: 'loki', uid: 'loki' };
    const logPanel = (title: string, expr: string) => ({
      title,
      type: 'logs',
      unit: '',
      datasource: loki,
      targets: [{ expr }],
    });
    const files = {
      'dashboard.json': dashboard(
        [
          logPanel('Filtered', '{service="cart", cluster=~"$cluster"} |= "error"'),
          logPanel('Unfiltered', '{service="cart"} |= "error"'),
        ],
        {
          templating: {
            list: [
              { name: 'datasource', type: 'datasource', query: 'prometheus' },
              { name: 'cluster', type: 'query', query: 'label_values(up, cluster)' },
              { name: 'route', type: 'query', query: 'label_values(http_requests_total, route)' },
            ],
          },
        },
      ),
    };
    const catalogue = (streams: readonly string[]) =>
      defineCatalog([httpRequests, httpDuration, memoryAvailable, up], {
        dimensions: defineDimensions({ cluster: { source: 'external_labels' } }),
        logStreams: defineLogStreams(Object.fromEntries(streams.map((name) => [name, {}]))),
      });
    const withCluster = await run(variableIgnored, files, { catalog: catalogue(['service', 'cluster']) });
    expect(withCluster.map((f) => [f.message, f.hint])).toEqual([
      [
        'log panel "Unfiltered" ignores $cluster: the log streams carry "cluster", but no query filters by it',
        'add cluster=~"$cluster" to its stream selector',
      ],
    ]);
    // Streams without the label (the agent does not add the cluster): nothing to filter by.
    expect(await run(variableIgnored, files, { catalog: catalogue(['service']) })).toEqual([]);
  });
});
