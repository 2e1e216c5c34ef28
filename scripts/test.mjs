#!/usr/bin/env node
// The whole test suite: every package's vitest suite (through turbo), the sample organisation's own
// suite (tests/) and its promtool/routing/inhibition tests (`o11y test`), and the end-to-end stack.
// Ends with one line "N passed, N failed" summing all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = 'test-results.json';
const SUMMARY = path.join(root, '.turbo-test-summary');
// A run that dies half-way must not leave the previous run's totals for .ci/run to print.
rmSync(SUMMARY, { force: true });
const totals = { passed: 0, failed: 0 };
let exitCode = 0;

function phase(label, command, args) {
  const started = process.hrtime.bigint();
  process.stdout.write(`\ntest: ${label}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(result.stdout ?? '');
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  process.stdout.write(
    `test: ${label} ${result.status === 0 ? 'passed' : `FAILED (exit ${result.status})`} in ${seconds}s\n`,
  );
  if (result.status !== 0) exitCode = 1;
  return result.stdout ?? '';
}

/** Adds a vitest JSON report's counts; a suite that failed to load counts as one failure. */
function addVitestReport(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed +=
    report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
  return true;
}

/** A gate (code style, types, lint of the organisation) counts as one test: passed or failed. */
function gate(label, command, args) {
  const before = exitCode;
  phase(label, command, args);
  if (exitCode !== before) totals.failed += 1;
  else totals.passed += 1;
}

gate('code style (biome)', 'npx', ['biome', 'check', '.']);
gate('types (tsc, every package and the organisation)', 'npm', ['run', '--silent', 'typecheck']);

const packages = readdirSync(path.join(root, 'packages')).map((name) => path.join(root, 'packages', name));
for (const dir of packages) rmSync(path.join(dir, RESULTS), { force: true });
phase('package suites', 'npx', [
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  // Every suite runs even when one fails, so the totals count them all.
  '--continue',
  '--',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${RESULTS}`,
]);
for (const dir of packages) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (manifest.scripts?.test && !addVitestReport(path.join(dir, RESULTS))) {
    process.stdout.write(`test: ${manifest.name} produced no results; counting it as failed\n`);
    totals.failed += 1;
  }
}

// The organisation's own vitest suite (tests/): its catalogue, rules, dashboards and routing as built,
// and the check that no package knows it.
const organisationResults = path.join(root, 'tests', RESULTS);
rmSync(organisationResults, { force: true });
phase('organisation suite (tests/)', 'npx', [
  'vitest',
  'run',
  '--config',
  'tests/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${organisationResults}`,
]);
if (!addVitestReport(organisationResults)) totals.failed += 1;

gate('lint of the organisation (o11y lint --fail-on=warning)', 'npx', ['o11y', 'lint', '--fail-on=warning']);

const organisation = phase('organisation (o11y test)', 'npx', ['o11y', 'test', '--junit', 'dist/junit.xml']);
const line = organisation.trimEnd().split('\n').at(-1) ?? '';
const counts = /^(\d+) passed, (\d+) failed$/.exec(line);
if (counts) {
  totals.passed += Number(counts[1]);
  totals.failed += Number(counts[2]);
} else {
  totals.failed += 1;
}

if (existsSync(path.join(root, 'scripts', 'e2e', 'vitest.config.ts'))) {
  const e2eResults = path.join(root, 'scripts', 'e2e', RESULTS);
  rmSync(e2eResults, { force: true });
  phase('end to end', 'npx', [
    'vitest',
    'run',
    '--config',
    'scripts/e2e/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${e2eResults}`,
  ]);
  if (!addVitestReport(e2eResults)) totals.failed += 1;
}

const summary = `${totals.passed} passed, ${totals.failed} failed`;
writeFileSync(SUMMARY, `${summary}\n`);
process.stdout.write(`\n${summary}\n`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
