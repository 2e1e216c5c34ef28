import { describe, expect, it } from 'vitest';
import { eventSeries, importSloth, tester } from '../src/index.ts';
import { build, root } from './helpers.ts';

const SPEC = 'packages/rules/test/fixtures/getting-started.sloth.yml';

describe("Sloth's getting-started shape", () => {
  it('maps severity of page_alert and ticket_alert instead of rejecting it', () => {
    const [imported] = importSloth(SPEC);
    expect(imported!.alerts.page?.labels).toMatchObject({
      severity: 'critical',
      slo_severity: 'page',
      sloth_severity: 'pageteam',
      routing_key: 'myteam',
      team: 'myteam',
    });
    expect(imported!.alerts.ticket?.labels).toMatchObject({
      severity: 'warning',
      sloth_severity: 'slack',
      slack_channel: '#alerts-myteam',
    });
  });

  it('gets generated promtool tests from one bad and one good event series, and they pass', async () => {
    const [withoutInput] = importSloth(SPEC);
    expect(withoutInput!.tests).toBeUndefined();
    const [imported] = importSloth(SPEC, {
      testInput: eventSeries({
        metric: 'http_request_duration_seconds_count',
        bad: { job: 'myservice', code: '500' },
        good: { job: 'myservice', code: '200' },
      }),
    });
    expect(imported!.tests).toBeDefined();
    const { dir } = await build([imported!]);
    const report = await tester.run(dir, { root, log: () => {} });
    const failed = report.cases.filter((c) => !c.passed);
    expect(failed).toEqual([]);
    expect(report.cases.length).toBeGreaterThan(3);
  }, 60_000);
});
