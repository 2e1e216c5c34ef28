import { describe, expect, it } from 'vitest';
import { estimateExceeded } from '../../../src/checks/live/estimate-exceeded.ts';
import { lint } from '../../../src/lint.ts';
import { modelOf, records, run } from '../../helpers.ts';
import { liveCatalog, usePrometheus } from '../../live.ts';

describe('live/estimate-exceeded (against the pinned Prometheus)', () => {
  const server = usePrometheus();

  it('reports a selector with more series than the catalogue allows, naming the declaration', async () => {
    const findings = await run(
      estimateExceeded,
      records({ 'shop:orders:rate5m': 'sum by (kind) (rate(orders_total[5m]))' }),
      { catalog: liveCatalog },
      { prometheus: server().live },
    );
    expect(findings.map((f) => f.message)).toEqual([
      `orders_total has 3 series on ${server().prometheus.url}, more than the estimated 2`,
    ]);
    expect(findings[0]!.hint).toMatch(
      /^raise the label estimates of orders_total at packages\/lint\/test\/live\.ts:\d+:3$/,
    );
  });

  it('accepts selectors within the estimate', async () => {
    const { model } = modelOf(records({ 'shop:orders:rate5m': 'sum(rate(orders_total{kind="gift"}[5m]))' }));
    const result = await lint(model, {
      checks: [estimateExceeded],
      config: { catalog: liveCatalog },
      prometheus: server().live,
    });
    expect(result.findings).toEqual([]);
    expect(result.project.live?.selectors.get('orders_total{kind="gift"}')).toBe(1);
  });
});
