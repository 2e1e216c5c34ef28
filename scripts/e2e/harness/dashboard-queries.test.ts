import { loadRenderer } from '@o11y/preview';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltDashboardModel, checkPanelQueries, type QueryEnvironment } from './dashboard-queries.ts';
import type { PrometheusApi } from './prometheus-api.ts';

const source = { file: 'dashboards/api.ts', line: 3, column: 1 };
const expr = 'sum(rate(http_requests_total[5m]))';
const dashboard: BuiltDashboardModel = {
  uid: 'api',
  title: 'API',
  variables: [],
  panels: [
    {
      id: 1,
      title: 'Traffic',
      type: 'timeseries',
      queries: [{ refId: 'A', expr, source }],
      thresholds: [],
      source,
    },
  ],
  source,
  json: {
    uid: 'api',
    title: 'API',
    panels: [
      { id: 1, type: 'timeseries', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: 'A', expr }] },
    ],
  },
};

/** A time off every step: the unaligned range ends on it. */
const NOW = Date.UTC(2026, 11, 6, 2, 30, 7, 123);

describe('the panel checks of the end-to-end stack', () => {
  let env: QueryEnvironment;
  const ranges: Array<{ startMs: number; endMs: number; stepMs: number }> = [];

  beforeAll(async () => {
    // Never contacted: the dashboard has no variables to resolve.
    const prometheus = {
      url: 'http://127.0.0.1:9',
      queryRange: async (_expr: string, startMs: number, endMs: number, stepMs: number) => {
        ranges.push({ startMs, endMs, stepMs });
        return { resultType: 'matrix', result: [] };
      },
    } as unknown as PrometheusApi;
    const grafana = (await loadRenderer()).grafana;
    env = { prometheus, grafana, scrapeInterval: '15s', now: NOW, timeRange: { from: 'now-15m', to: 'now' } };
  });

  it('query the range up to now, unaligned, by default', async () => {
    ranges.length = 0;
    await checkPanelQueries([dashboard], env, 'default');
    expect(ranges).toEqual([{ startMs: NOW - 15 * 60_000, endMs: NOW, stepMs: 15_000 }]);
  });

  it('align the range to the step as Grafana and the preview do, with alignToStep', async () => {
    ranges.length = 0;
    await checkPanelQueries([dashboard], { ...env, alignToStep: true }, 'default');
    // 02:30:07.123 → 02:30:00, the last 15 s step before it; the start likewise.
    expect(ranges).toEqual([
      { startMs: Date.UTC(2026, 11, 6, 2, 15, 0), endMs: Date.UTC(2026, 11, 6, 2, 30, 0), stepMs: 15_000 },
    ]);
  });
});
