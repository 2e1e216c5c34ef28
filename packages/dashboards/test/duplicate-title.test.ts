import * as units from '@grafana/grafana-foundation-sdk/units';
import { raw } from '@o11y/catalog';
import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { dashboard, emitter, folder, stat } from '../src/index.ts';

const context = { root: process.cwd(), definitions: [], profile: 'default', log: () => {} };
const up = () =>
  stat('Targets up')
    .description('Scrape targets answering.')
    .unit(units.Short)
    .query(raw('sum(up)', { labels: [] }));

describe('dashboard titles', () => {
  it('fails the build on two dashboards of one title in one folder, as Grafana would refuse the second', async () => {
    const shop = folder('shop');
    const first = dashboard('Checkout').folder(shop).row('Health', [up()]);
    const second = dashboard('checkout').withUid('checkout-copy').folder(shop).row('Health', [up()]);
    const emitting = () => [...emitter.emit([first, second], context)];
    expect(emitting).toThrow(O11yErrors);
    expect(emitting).toThrow(
      expect.objectContaining({
        diagnostics: [
          expect.objectContaining({
            id: 'dashboards/duplicate-title',
            message: `dashboards checkout-copy and ${first.uid} are both titled "checkout" in folder shop, which Grafana rejects`,
            source: expect.objectContaining({
              file: 'packages/dashboards/test/duplicate-title.test.ts',
              line: 18,
            }),
          }),
        ],
      }),
    );
  });

  it('allows one title in two folders', async () => {
    const artifacts = [
      ...emitter.emit(
        [
          dashboard('Checkout').folder(folder('shop')).row('Health', [up()]),
          dashboard('Checkout').withUid('checkout-eu').folder(folder('eu')).row('Health', [up()]),
        ],
        context,
      ),
    ];
    expect(artifacts.filter((a) => a.kind === 'grafana/dashboard')).toHaveLength(2);
  });
});
