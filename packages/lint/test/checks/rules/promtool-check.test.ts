import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { toolPath } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.ts';
import { lint } from '../../../src/lint.ts';
import { loadFiles } from '../../../src/load/files.ts';

const corpus = path.join(import.meta.dirname, '..', '..', 'fixtures', 'promtool');
const files = ['invalid', 'valid'].flatMap((dir) =>
  readdirSync(path.join(corpus, dir))
    .sort()
    .map((name) => `${dir}/${name}`),
);
/** The checks whose errors say "Prometheus would not load this": the file's format, and the expressions. */
const VALIDITY = new Set(['lint/file', 'rules/promtool-check', 'promql/syntax']);

async function lintErrors(file: string) {
  const loaded = await loadFiles([file], corpus);
  const { findings } = await lint(loaded.model, {
    origins: loaded.origins,
    sources: loaded.sources,
    checks: allChecks,
  });
  return [...loaded.problems, ...findings].filter((f) => f.severity === 'error' && VALIDITY.has(f.id ?? ''));
}

describe('rules/promtool-check', () => {
  // Ground truth: the pinned promtool's verdict on every file of the corpus.
  it.each(files)(
    'agrees with promtool check rules on %s',
    async (file) => {
      const promtool = spawnSync(toolPath('promtool'), ['check', 'rules', file], {
        cwd: corpus,
        encoding: 'utf8',
      });
      const errors = await lintErrors(file);
      if (promtool.status === 0) {
        expect(errors.map((e) => e.message)).toEqual([]);
      } else {
        expect(errors.length, `promtool rejects ${file}:\n${promtool.stderr}`).toBeGreaterThan(0);
        for (const error of errors) expect(error.source).toMatchObject({ file, line: expect.any(Number) });
      }
    },
    30_000,
  );

  it('puts each error at the line of what is wrong', async () => {
    const at = async (file: string) =>
      (await lintErrors(file)).map((e) => `${e.source?.line}:${e.source?.column} ${e.message}`);
    expect(await at('invalid/bad-for.yml')).toEqual(['6:14 unknown unit "mins" in duration "5mins"']);
    expect(await at('invalid/bad-interval.yml')).toEqual(['3:15 unknown unit "x" in duration "1x"']);
    expect(await at('invalid/duplicate-key.yml')).toEqual([
      '7:1 mapping key "expr" already defined at line 5',
    ]);
    // A file is judged whole, as promtool reads it: the line a message names is the file's line.
    expect(await at('invalid/duplicate-key-after-header.yml')).toEqual([
      '9:1 mapping key "expr" already defined at line 8',
    ]);
    expect(await at('invalid/unknown-field.yml')).toEqual([
      '7:1 field severity not found in type rulefmt.Rule',
    ]);
    expect(await at('invalid/template-undefined-function.yml')).toEqual([
      '7:24 annotation "description": template: __alert_DiskAlmostFull:1: function "humanizePercent" not defined',
    ]);
    expect(await at('invalid/record-and-alert.yml')).toEqual([
      "4:17 only one of 'record' and 'alert' must be set",
    ]);
    // Not parsing is promql/syntax's finding (once, at the parser's positions), not promtool-check's too.
    expect(await at('invalid/bad-expression.yml')).toEqual([
      '5:15 no arguments for aggregate expression provided',
      '5:63 unclosed left parenthesis',
    ]);
  });

  it('judges a PrometheusRule resource as the rule file in its spec, at the resource file line', async () => {
    const dir = path.join(import.meta.dirname, '..', '..', 'fixtures', 'formats');
    const loaded = await loadFiles(['manifests/monitoring.yaml'], dir);
    const { findings } = await lint(loaded.model, {
      sources: loaded.sources,
      origins: loaded.origins,
      checks: allChecks,
    });
    expect(
      findings
        .filter((f) => f.id === 'rules/promtool-check')
        .map((f) => `${f.source?.line}:${f.source?.column} ${f.message}`),
    ).toEqual(['61:16 unknown unit "minutes" in duration "15minutes"']);
  });
});
