import { describe, expect, it } from 'vitest';
import { rangeTooShort } from '../../../src/checks/logql/range-too-short.ts';
import { logsDashboard, run, runLokiRules } from '../../helpers.ts';

describe('logql/range-too-short', () => {
  it('warns about a range shorter than twice the ship interval, and leaves Grafana variables alone', async () => {
    const findings = await run(
      rangeTooShort,
      logsDashboard('sum(rate({app="x"}[1s]))', 'count_over_time({app="x"}[2s])', 'rate({app="x"}[$__auto])'),
    );
    expect(findings.map((f) => [f.severity, f.message, f.expression?.span])).toEqual([
      [
        'warning',
        'rate over [1s] is shorter than twice the log ship interval (1s): the newest lines have not arrived yet',
        { start: 18, end: 22 },
      ],
    ]);
    expect(findings[0]!.hint).toBe('use at least [2s], or [$__auto]');
  });

  it('takes the ship interval from its option', async () => {
    const findings = await run(rangeTooShort, logsDashboard('count_over_time({app="x"}[20s])'), {
      checks: { 'logql/range-too-short': { options: { shipInterval: '15s' } } },
    });
    expect(findings.map((f) => f.hint)).toEqual(['use at least [30s], or [$__auto]']);
  });

  it("wants a Loki rule's range to cover its group's evaluation interval", async () => {
    const findings = await runLokiRules(rangeTooShort, [
      'sum(count_over_time({app="x"}[30s])) > 1',
      'sum(count_over_time({app="x"}[1m])) > 1',
    ]);
    expect(findings.map((f) => [f.source?.line, f.message])).toEqual([
      [
        2,
        "count_over_time over [30s] is shorter than the rule group's evaluation interval (1m): lines between evaluations are never counted",
      ],
    ]);
  });
});
