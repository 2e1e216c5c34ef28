import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { rateNonCounter } from '../src/checks/promql/rate-non-counter.ts';
import { naming } from '../src/checks/rules/naming.ts';
import { defineConfig, type Suppression } from '../src/config.ts';
import { lint } from '../src/lint.ts';
import { testCatalog } from './catalog.ts';
import { modelOf, records, run } from './helpers.ts';

const bad = records({ http_mem_rate: 'rate(node_memory_available_bytes[5m])' });

describe('configuration', () => {
  it('turns checks off, changes their severity and options', async () => {
    expect(await run([naming, rateNonCounter], bad, { checks: { 'rules/naming': 'off' } })).toHaveLength(1);
    const severities = await run([naming, rateNonCounter], bad, {
      checks: { 'rules/naming': 'error', 'promql/rate-non-counter': { severity: 'info' } },
    });
    expect(severities.map((f) => [f.id, f.severity])).toEqual([
      ['rules/naming', 'error'],
      ['promql/rate-non-counter', 'info'],
    ]);
  });

  it('rejects unknown checks, severities and options, naming the configuration line', async () => {
    const config = defineConfig({
      checks: {
        'rules/nameing': 'off',
        'rules/naming': { severity: 'fatal' as 'error', options: { maxAlertLength: '40', colour: true } },
      },
    });
    const { model } = modelOf(bad);
    const error = await lint(model, { config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    const diagnostics = (error as O11yErrors).diagnostics;
    expect(diagnostics.map((d) => d.message)).toEqual([
      'unknown check "rules/nameing"',
      'rules/naming: unknown severity "fatal"',
      'rules/naming: option "maxAlertLength" must be like 40',
      'rules/naming: unknown option "colour"',
    ]);
    expect(diagnostics[0]!.source).toMatchObject({ file: 'packages/lint/test/config.test.ts', line: 25 });
  });

  it('requires a reason and a scope for every suppression', () => {
    const suppressions = [
      { check: 'rules/naming', rule: 'x', reason: ' ' },
      { check: 'rules/naming', reason: 'because' },
      { check: 'rules/naming', panel: 'Latency', reason: 'because' },
    ] as unknown as Suppression[];
    expect(() => defineConfig({ suppressions })).toThrow(
      /suppressions\[0\] \(rules\/naming\) has no reason[\s\S]*suppressions\[1\] \(rules\/naming\) names no rule, group or dashboard[\s\S]*names a panel without its dashboard/,
    );
    expect(() => defineConfig({ budgets: { rule: 0 } })).toThrow(
      'budgets.rule must be a positive whole number',
    );
  });
});

describe('suppressions', () => {
  const files = {
    ...records({ http_mem_rate: 'rate(node_memory_available_bytes[5m])', other_rate: 'sum(up)' }),
  };

  it('silence one check for one rule only, and count what they silenced', async () => {
    const { model } = modelOf(files);
    const result = await lint(model, {
      checks: [naming, rateNonCounter],
      config: {
        catalog: testCatalog,
        suppressions: [
          { check: 'rules/naming', rule: 'http_mem_rate', reason: 'legacy name read by the billing export' },
        ],
      },
    });
    expect(result.findings.map((f) => [f.id, f.subject])).toEqual([
      ['promql/rate-non-counter', 'recording rule http_mem_rate (group test)'],
      ['rules/naming', 'recording rule other_rate (group test)'],
    ]);
    expect(result.suppressed).toBe(1);
  });

  it('scope to a group, a dashboard or a panel, and report suppressions that silence nothing', async () => {
    const { model } = modelOf(files);
    const result = await lint(model, {
      checks: [naming],
      config: defineConfig({
        catalog: testCatalog,
        suppressions: [
          { check: 'rules/naming', group: 'test', reason: 'imported from the old monitoring repo' },
          { check: 'rules/naming', dashboard: 'api', panel: 'Latency', reason: 'no such panel any more' },
        ],
      }),
    });
    expect(result.suppressed).toBe(2);
    expect(result.findings.map((f) => [f.id, f.severity, f.message])).toEqual([
      [
        'lint/unused-suppression',
        'warning',
        'suppression of rules/naming ("no such panel any more") silences nothing',
      ],
    ]);
    expect(result.findings[0]!.source?.file).toBe('packages/lint/test/config.test.ts');
  });
});
