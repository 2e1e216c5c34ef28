import { describe, expect, it } from 'vitest';
import { syntax } from '../../../src/checks/logql/syntax.ts';
import { dashboard, logsDashboard, run } from '../../helpers.ts';

describe('logql/syntax', () => {
  it('reports the first mistake of a Loki query at its file:line:column, with a caret under it', async () => {
    const findings = await run(syntax, logsDashboard('{service="invoices" |= "timeout"'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'logql/syntax',
      message: 'LogQL does not parse: unexpected "|="',
      // Through the JSON's escaped quotes to the `|=` as the file has it.
      source: { file: 'logs.json', line: 29, column: 42 },
      expression: { text: '{service="invoices" |= "timeout"', span: { start: 20, end: 22 } },
    });
  });

  it('accepts valid LogQL with Grafana variables, and never reads PromQL as LogQL', async () => {
    const findings = await run(syntax, {
      ...logsDashboard(
        '{service="invoices", environment=~"$environment"} |= "error" | json',
        'sum by (route) (rate({service="invoices"} | json [$__auto]))',
      ),
      'prometheus.json': dashboard([{ targets: [{ expr: 'sum(rate(x[5m])) by (job)' }] }]),
    });
    expect(findings).toEqual([]);
  });
});
