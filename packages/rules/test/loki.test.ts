import { formatDiagnostic, O11yError } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitter, lokiAlert, lokiRecord, lokiRuleGroup } from '../src/index.ts';
import { build, context } from './helpers.ts';

const HERE = 'packages/rules/test/loki.test.ts';

function shopLogRules() {
  const errors = lokiRecord(
    'service:log_errors:rate5m',
    'sum by (service) (rate({app="shop"} |= "error" [5m]))',
    { labels: { source: 'logs' } },
  );
  const burst = lokiAlert('ErrorLogBurst', {
    expr: 'sum by (service, environment) (count_over_time({app="shop"} |= "error" [5m])) > 50',
    for: '5m',
    severity: 'warning',
    team: 'web',
    summary: 'The shop logs a burst of errors',
    description: '{{ $labels.service }} logged {{ $value }} error lines in 5 minutes.',
    runbookUrl: 'https://runbooks.example.com/ErrorLogBurst',
  });
  const group = lokiRuleGroup('shop-logs', { namespace: 'shop', interval: '1m', rules: [errors, burst] });
  return { errors, burst, group };
}

describe('Loki rules', () => {
  it("are written as Loki's ruler files, one per namespace, in the Prometheus rule-group format", async () => {
    const { group } = shopLogRules();
    const { file } = await build([group]);
    expect(parse(file('loki/rules/shop.yml'))).toEqual({
      groups: [
        {
          name: 'shop-logs',
          interval: '1m',
          rules: [
            {
              record: 'service:log_errors:rate5m',
              expr: 'sum by (service) (rate({app="shop"} |= "error" [5m]))',
              labels: { source: 'logs' },
            },
            {
              alert: 'ErrorLogBurst',
              expr: 'sum by (service, environment) (count_over_time({app="shop"} |= "error" [5m])) > 50',
              for: '5m',
              labels: { severity: 'warning', team: 'web' },
              annotations: {
                description: '{{ $labels.service }} logged {{ $value }} error lines in 5 minutes.',
                runbook_url: 'https://runbooks.example.com/ErrorLogBurst',
                summary: 'The shop logs a burst of errors',
              },
            },
          ],
        },
      ],
    });
  });

  it('list their alerts with the Prometheus alerts, with the labels the query keeps', async () => {
    const { group } = shopLogRules();
    const alerts = JSON.parse((await build([group])).file('prometheus/alerts.json'));
    expect(alerts).toEqual([
      expect.objectContaining({
        alert: 'ErrorLogBurst',
        group: 'shop-logs',
        keptLabels: ['service', 'environment'],
        source: expect.objectContaining({ file: HERE }),
      }),
    ]);
  });

  it('give lint their groups apart from the PromQL ones, each rule at its TypeScript line', async () => {
    const { group } = shopLogRules();
    const model = await emitter.model!([group], context([group]));
    expect(model.ruleGroups).toEqual([]);
    expect(model.lokiRuleGroups).toEqual([
      expect.objectContaining({
        name: 'shop-logs',
        file: 'dist/loki/rules/shop.yml',
        rules: [
          expect.objectContaining({
            kind: 'record',
            source: expect.objectContaining({ file: HERE, line: 10 }),
          }),
          expect.objectContaining({
            kind: 'alert',
            for: '5m',
            source: expect.objectContaining({ line: 15 }),
          }),
        ],
      }),
    ]);
  });

  it('refuse LogQL that does not parse at the rule’s line, with a caret under the mistake', () => {
    let caught: unknown;
    try {
      lokiRecord('service:log_errors:rate5m', 'sum(rate({app="shop"} |= [5m]))');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(O11yError);
    const error = caught as O11yError;
    expect(error.id).toBe('rules/logql-syntax');
    expect(error.source).toMatchObject({ file: HERE, line: 99 });
    expect(formatDiagnostic(error.toDiagnostic())).toContain(
      'LogQL does not parse at line 1 column 26: unexpected "[5m]))"\n' +
        '    sum(rate({app="shop"} |= [5m]))\n' +
        '                             ^^^^^^',
    );
  });

  it('refuse a log query, which returns lines rather than samples', () => {
    expect(() =>
      lokiAlert('Errors', {
        expr: '{app="shop"} |= "error"',
        severity: 'warning',
        team: 'web',
        summary: 's',
        description: 'd',
      }),
    ).toThrow(/a rule needs a LogQL metric query/);
  });

  it('refuse two groups of one name in a namespace', async () => {
    const a = lokiRuleGroup('logs', { namespace: 'shop', rules: [shopLogRules().errors] });
    const b = lokiRuleGroup('logs', { namespace: 'shop', rules: [shopLogRules().errors] });
    await expect(build([a, b])).rejects.toThrow(/two Loki rule groups of namespace shop are named logs/);
  });
});
