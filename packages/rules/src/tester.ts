import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { escapeRegex } from '@o11y/catalog';
import {
  compareCodePoints,
  DIST,
  type Diagnostic,
  type SourceLocation,
  type TestCaseResult,
  type TestContext,
  type Tester,
  type TestReport,
  toolPath,
} from '@o11y/core';
import type { Claim, EmittedTestCase } from './emit/tests-yaml.ts';
import { run } from './promtool/run.ts';

interface IndexRule {
  readonly id: string;
  readonly kind: 'alert' | 'record';
  readonly name: string;
  readonly group: string;
  readonly source: SourceLocation;
  readonly untested?: string;
}

interface Index {
  /** Set by a time-compressed build profile, which emits no promtool tests. */
  readonly profile?: string;
  readonly rules: readonly IndexRule[];
  readonly tests: ReadonlyArray<{
    readonly file: string;
    readonly source: SourceLocation;
    readonly cases: readonly EmittedTestCase[];
  }>;
}

interface JUnitCase {
  readonly suite: string;
  readonly name: string;
  readonly failure?: string;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity]!;
  });
}

/** promtool's JUnit report: one testsuite per file, one testcase per test, a failure element when it failed. */
export function readJUnit(xml: string): JUnitCase[] {
  const cases: JUnitCase[] = [];
  for (const suite of xml.matchAll(/<testsuite\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/testsuite>/g)) {
    for (const testcase of suite[2]!.matchAll(
      /<testcase\b[^>]*\bname="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g,
    )) {
      const failure = /<failure\b[^>]*>([\s\S]*?)<\/failure>/.exec(testcase[2] ?? '');
      cases.push({
        suite: unescapeXml(suite[1]!),
        name: unescapeXml(testcase[1]!),
        ...(failure && { failure: unescapeXml(failure[1]!) }),
      });
    }
  }
  return cases;
}

export interface Coverage {
  readonly covered: number;
  readonly optedOut: number;
  readonly total: number;
  /** Rules without the tests they need, with what is missing. */
  readonly missing: ReadonlyArray<{ readonly rule: IndexRule; readonly needs: readonly Claim[] }>;
}

/**
 * Rule-test coverage from the tests that passed: an alert needs a test where it fires and one where it
 * does not; a recording rule needs a test that expects at least one sample of it. A rule with a reason
 * to be untested counts as opted out.
 */
export function coverage(
  rules: readonly IndexRule[],
  passed: ReadonlyArray<{ readonly covers: EmittedTestCase['covers'] }>,
): Coverage {
  const claims = new Map<string, Set<Claim>>();
  for (const test of passed) {
    for (const { rule, claim } of test.covers) claims.set(rule, (claims.get(rule) ?? new Set()).add(claim));
  }
  let covered = 0;
  let optedOut = 0;
  const missing: Array<{ rule: IndexRule; needs: Claim[] }> = [];
  for (const rule of rules) {
    const needed: Claim[] = rule.kind === 'alert' ? ['fires', 'silent'] : ['sampled'];
    const have = claims.get(rule.id) ?? new Set();
    const needs = needed.filter((c) => !have.has(c));
    if (needs.length === 0) covered += 1;
    else if (rule.untested !== undefined) optedOut += 1;
    else missing.push({ rule, needs });
  }
  return { covered, optedOut, total: rules.length, missing };
}

const NEEDS: Record<Claim, string> = {
  fires: 'a test where it fires',
  silent: 'a test where it does not fire',
  sampled: 'a test that expects a sample of it (promql_expr_test)',
};

async function runTests(distDir: string, context: TestContext): Promise<TestReport> {
  const indexPath = path.join(distDir, DIST.prometheus.index);
  if (!existsSync(indexPath))
    return { suite: 'promtool rule tests', cases: [], summary: ['no Prometheus rules were built'] };
  const index = JSON.parse(await readFile(indexPath, 'utf8')) as Index;
  if (index.profile !== undefined) {
    return {
      suite: 'promtool rule tests',
      cases: [
        {
          name: `dist/${DIST.prometheus.index}`,
          passed: false,
          failure: {
            severity: 'error',
            id: 'promtool/profile',
            message: `dist/ was built with the ${index.profile} profile, whose time-compressed rules have no promtool tests`,
            hint: 'run o11y build (default profile) before o11y test: the tests prove the real-time rules',
          },
        },
      ],
      summary: [`no promtool tests in a ${index.profile} build`],
    };
  }
  const promtool = toolPath('promtool', context.root);
  const prometheusDir = path.join(distDir, 'prometheus');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'o11y-promtool-'));
  try {
    const files = index.tests.map((t) => path.posix.relative('prometheus', t.file));
    // promtool runs the files of one invocation one after another: spread them over the CPUs.
    const workers = Math.min(os.availableParallelism(), files.length);
    const chunks = Array.from({ length: workers }, (_, w) => files.filter((_, i) => i % workers === w));
    context.log(`promtool test rules: ${files.length} files in ${workers} processes`);
    const started = Date.now();
    const results = await Promise.all(
      chunks.map(async (chunk, w) => {
        const junitPath = path.join(scratch, `junit-${w}.xml`);
        const filter = context.filter ? [`--run=${escapeRegex(context.filter)}`] : [];
        const result = await run(
          promtool,
          ['test', 'rules', `--junit=${junitPath}`, ...filter, ...chunk],
          prometheusDir,
        );
        const junit = existsSync(junitPath) ? readJUnit(await readFile(junitPath, 'utf8')) : [];
        return { result, junit };
      }),
    );
    context.log(`promtool test rules took ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const junit = results.flatMap((r) => r.junit);
    const output = results.map((r) => r.result.output.trim()).join('\n');
    const outcome = new Map(junit.map((c) => [`${c.suite}\u0000${c.name}`, c]));
    const cases: TestCaseResult[] = [];
    const passed: EmittedTestCase[] = [];
    for (const suite of index.tests) {
      const file = path.posix.relative('prometheus', suite.file);
      for (const test of suite.cases) {
        if (context.filter && !test.name.includes(context.filter)) continue;
        const found = outcome.get(`${file}\u0000${test.name}`);
        const failure: Diagnostic | undefined = !found
          ? {
              severity: 'error',
              id: 'promtool/test',
              source: test.source,
              message: `promtool did not run this test: ${output.split('\n').slice(-5).join(' ')}`,
            }
          : found.failure !== undefined
            ? { severity: 'error', id: 'promtool/test', source: test.source, message: found.failure.trim() }
            : undefined;
        if (!failure) passed.push(test);
        cases.push({ name: `${file}: ${test.name}`, passed: !failure, ...(failure && { failure }) });
      }
    }
    if (context.filter) {
      return {
        suite: 'promtool rule tests',
        cases,
        summary: ['rule-test coverage is computed only for a full run'],
      };
    }
    const cov = coverage(index.rules, passed);
    for (const { rule, needs } of [...cov.missing].sort((a, b) => compareCodePoints(a.rule.id, b.rule.id))) {
      cases.push({
        name: `coverage: ${rule.kind === 'alert' ? 'alert' : 'recording rule'} ${rule.name} (${rule.group})`,
        passed: false,
        failure: {
          severity: 'error',
          id: 'promtool/coverage',
          source: rule.source,
          message: `${rule.name} lacks ${needs.map((n) => NEEDS[n]).join(' and ')} that passes`,
          hint: 'add the test (testCase with fires()/silent()/samples()), or give the rule `untested` with the reason',
        },
      });
    }
    const percent =
      cov.total === 0 ? 100 : Math.floor(((cov.covered + cov.optedOut) / cov.total) * 1000) / 10;
    return {
      suite: 'promtool rule tests',
      cases,
      summary: [
        `rule-test coverage: ${cov.covered + cov.optedOut}/${cov.total} rules (${percent}%), ${cov.optedOut} opted out with a reason`,
      ],
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `o11y test`: runs every emitted promtool test with the pinned promtool and checks rule-test coverage. */
export const tester: Tester = { name: 'promtool', run: runTests };
