import { describe, expect, it } from 'vitest';
import { seriesMissing } from '../../../src/checks/live/series-missing.ts';
import { records, run } from '../../helpers.ts';
import { liveCatalog, usePrometheus } from '../../live.ts';

describe('live/series-missing (against the pinned Prometheus)', () => {
  const server = usePrometheus();

  it('reports selectors that match no series on the server', async () => {
    const findings = await run(
      seriesMissing,
      records({ 'shop:orders:rate5m': 'sum(rate(orders_total{kind="refund"}[5m]))' }),
      { catalog: liveCatalog },
      { prometheus: server().live },
    );
    expect(findings.map((f) => [f.message, f.expression?.span])).toEqual([
      [`orders_total{kind="refund"} matches no series on ${server().prometheus.url}`, { start: 9, end: 36 }],
    ]);
  });

  it('accepts selectors the server has, and does nothing without --prometheus-url', async () => {
    const files = records({ 'shop:orders:rate5m': 'sum(rate(orders_total{kind="retail"}[5m]))' });
    expect(await run(seriesMissing, files, { catalog: liveCatalog }, { prometheus: server().live })).toEqual(
      [],
    );
    const offline = records({ 'shop:orders:rate5m': 'sum(rate(orders_total{kind="refund"}[5m]))' });
    expect(await run(seriesMissing, offline, { catalog: liveCatalog })).toEqual([]);
  });
});
