import { describe, expect, it } from 'vitest';
import { unboundedSelector } from '../../../src/checks/logql/unbounded-selector.ts';
import { logsDashboard, run, runLokiRules } from '../../helpers.ts';

describe('logql/unbounded-selector', () => {
  it('reports selectors Loki refuses: only empty-matching or negative matchers', async () => {
    const findings = await run(
      unboundedSelector,
      logsDashboard('{job=~".*"} |= "error"', 'sum(rate({app!="x", env=""}[5m])) / sum(rate({app="y"}[5m]))'),
    );
    expect(findings.map((f) => [f.id, f.expression?.span])).toEqual([
      ['logql/unbounded-selector', { start: 0, end: 11 }],
      ['logql/unbounded-selector', { start: 9, end: 27 }],
    ]);
    expect(findings[0]?.message).toContain('{job=~".*"} selects every stream');
  });

  it('accepts a non-empty equality, a regexp that needs a character, and Grafana variables', async () => {
    const findings = await run(
      unboundedSelector,
      logsDashboard('{app="y"} |= "x"', '{app=~".+", env!=""}', '{app=~"$app"}', '{app=~"[[app]]", x!="1"}'),
    );
    expect(findings).toEqual([]);
  });

  it('checks the expressions of Loki rules too, at the rule’s line', async () => {
    const findings = await runLokiRules(unboundedSelector, [
      'sum(rate({app="y"}[5m]))',
      'sum(rate({app=~".*"}[5m]))',
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'logql/unbounded-selector',
        source: { file: 'rules/logs.ts', line: 3, column: 1 },
        expression: { text: 'sum(rate({app=~".*"}[5m]))', span: { start: 9, end: 20 } },
      }),
    ]);
  });
});
