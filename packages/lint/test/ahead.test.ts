import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectModel } from '@o11y/core';
import type { ParserOptions } from '@o11y/promql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDefinitions } from '../../build/src/build.ts';
import { loadConfig } from '../src/config.ts';
import { type LintOptions, lint, lintInParts } from '../src/lint.ts';
import { parseRulesAhead } from '../src/project.ts';
import { modelOfDefinitions } from './helpers.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Made before any test resets the modules: the definitions and the emitters must share their libraries.
const sample: ProjectModel = await modelOfDefinitions(root, await loadDefinitions(root));

afterEach(() => {
  vi.doUnmock('@o11y/promql');
  vi.resetModules();
});

/** lint with a parseAll that records the expressions of every call, through freshly imported modules. */
async function countingParses() {
  const calls: (readonly string[])[] = [];
  vi.resetModules();
  vi.doMock('@o11y/promql', async (importOriginal) => {
    const original = await importOriginal<typeof import('@o11y/promql')>();
    return {
      ...original,
      parseAll: (exprs: readonly string[], options?: ParserOptions) => {
        calls.push(exprs);
        return original.parseAll(exprs, options);
      },
    };
  });
  const lintModule = await import('../src/lint.ts');
  const projectModule = await import('../src/project.ts');
  return { calls, lintInParts: lintModule.lintInParts, parseRulesAhead: projectModule.parseRulesAhead };
}

describe('rules parsed ahead', () => {
  it('gives the findings of a parse at analysis, whatever was parsed ahead', async () => {
    const model = sample;
    const config = await loadConfig(root);
    // Budgets of one series: a finding for nearly every rule, so each rule's parse shows.
    const options: LintOptions = { config: { ...config, budgets: { rule: 1, group: 1 } } };
    const expected = await lintInParts(model, options);
    expect(expected.findings.length).toBeGreaterThan(500);
    const half = model.ruleGroups.slice(0, Math.floor(model.ruleGroups.length / 2));
    const aheads = {
      every: parseRulesAhead(model.ruleGroups, {}),
      // The first emitter's part: the rest is parsed at analysis.
      first: parseRulesAhead(half, {}),
      // Not how the model begins, or other parser options: all parsed again.
      other: parseRulesAhead([...model.ruleGroups].reverse(), {}),
      options: parseRulesAhead(model.ruleGroups, { experimentalFunctions: true }),
    };
    for (const [name, rulesParsedAhead] of Object.entries(aheads)) {
      const found = await lintInParts(model, { ...options, rulesParsedAhead });
      expect({ name, findings: found.findings }).toEqual({ name, findings: expected.findings });
    }
    const whole = await lint(model, { ...options, rulesParsedAhead: aheads.first });
    expect(whole.findings).toEqual(expected.findings);
  }, 120_000);

  it('parses at analysis only the rules not parsed ahead', async () => {
    const model = sample;
    const { calls, lintInParts: counted, parseRulesAhead: ahead } = await countingParses();
    const exprs = model.ruleGroups.flatMap((group) => group.rules.map((rule) => rule.expr));
    const first = model.ruleGroups.slice(0, 3);
    const firstCount = first.reduce((count, group) => count + group.rules.length, 0);
    await counted(model, { rulesParsedAhead: ahead(first, {}) });
    expect(calls.map((call) => call.length)).toEqual([firstCount, exprs.length - firstCount]);
    expect(calls.flat()).toEqual(exprs);

    calls.length = 0;
    await counted(model, { rulesParsedAhead: ahead(first, { experimentalFunctions: true }) });
    expect(calls.map((call) => call.length)).toEqual([firstCount, exprs.length]);
  }, 120_000);
});
