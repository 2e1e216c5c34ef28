import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.ts';
import { rateNonCounter } from '../src/checks/promql/rate-non-counter.ts';
import { requiredLabels } from '../src/checks/rules/required-labels.ts';
import { lint } from '../src/lint.ts';
import { formatGitHub } from '../src/report/github.ts';
import { caretLines, formatHuman } from '../src/report/human.ts';
import { formatJSON } from '../src/report/json.ts';
import { formatSARIF } from '../src/report/sarif.ts';
import { testCatalog } from './catalog.ts';
import { alert, modelOf, rules } from './helpers.ts';

async function result() {
  const { model, origins } = modelOf(
    rules(alert('MemoryDropping', 'rate(node_memory_available_bytes[5m]) < 0', { labels: {} })),
  );
  return lint(model, { checks: [rateNonCounter, requiredLabels], config: { catalog: testCatalog }, origins });
}

describe('reports', () => {
  it('human: location, severity, message, id, subject, the expression with a caret, the hint', async () => {
    expect(formatHuman(await result())).toBe(
      [
        'rules.yml:4:9  error  alert MemoryDropping has no severity, team labels  (rules/required-labels)',
        '    in alert MemoryDropping (group test)',
        '    hint: Alertmanager routes on them; set them on the rule or its group',
        '',
        'rules.yml:4:43  error  rate() of node_memory_available_bytes, which is a gauge  (promql/rate-non-counter)',
        '    in alert MemoryDropping (group test)',
        '    | rate(node_memory_available_bytes[5m]) < 0',
        '    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '    hint: use deriv() or delta() for gauges, or select a counter',
        '',
        '2 errors, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('human: the caret goes under the span on its own line of a multi-line expression', () => {
    expect(caretLines('sum(\n  rate(x[5m])\n)', { start: 7, end: 18 })).toEqual([
      '  rate(x[5m])',
      '  ^^^^^^^^^^^',
    ]);
    expect(caretLines('up', { start: 2, end: 2 })).toEqual(['up', '  ^']);
  });

  it('github: workflow commands with escaped properties and message', async () => {
    expect(formatGitHub(await result()).split('\n')).toEqual([
      '::error file=rules.yml,line=4,col=9,title=rules/required-labels::alert MemoryDropping has no severity, team labels%0AAlertmanager routes on them; set them on the rule or its group',
      '::error file=rules.yml,line=4,col=43,title=promql/rate-non-counter::rate() of node_memory_available_bytes, which is a gauge%0Ause deriv() or delta() for gauges, or select a counter',
      '',
    ]);
  });

  it('json: findings and a summary, keys sorted', async () => {
    const parsed = JSON.parse(formatJSON(await result()));
    expect(parsed.summary).toEqual({ errors: 2, warnings: 0, infos: 0, suppressed: 0 });
    expect(parsed.findings[1]).toEqual({
      expression: { span: { end: 37, start: 0 }, text: 'rate(node_memory_available_bytes[5m]) < 0' },
      hint: 'use deriv() or delta() for gauges, or select a counter',
      id: 'promql/rate-non-counter',
      message: 'rate() of node_memory_available_bytes, which is a gauge',
      severity: 'error',
      source: { column: 43, file: 'rules.yml', line: 4 },
      subject: 'alert MemoryDropping (group test)',
    });
  });

  it('sarif: 2.1.0 with one rule per check and results at their lines', async () => {
    const sarif = JSON.parse(formatSARIF(await result(), allChecks));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toHaveLength(allChecks.length);
    expect(run.results[1]).toEqual({
      ruleId: 'promql/rate-non-counter',
      ruleIndex: allChecks.findIndex((c) => c.id === 'promql/rate-non-counter'),
      level: 'error',
      message: {
        text: 'rate() of node_memory_available_bytes, which is a gauge. use deriv() or delta() for gauges, or select a counter',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'rules.yml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 43 },
          },
        },
      ],
    });
    expect(run.tool.driver.rules[run.results[1].ruleIndex]).toMatchObject({
      id: 'promql/rate-non-counter',
      helpUri: 'docs/checks/promql/rate-non-counter.md',
      defaultConfiguration: { level: 'error' },
    });
  });
});
