import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DIST,
  O11yError,
  type TestCaseResult,
  type TestContext,
  type Tester,
  type TestReport,
  toDiagnostics,
  toolPath,
} from '@o11y/core';
import type { TestsFile } from './cases.ts';
import { type AlertEntry, checkRoutingCoverage } from './coverage.ts';
import { runInhibitionCases } from './inhibition.ts';
import { runRoutingCases } from './routing.ts';
import { type RoutingConfig, readRoutingConfig } from './routing-tree.ts';

export interface AlertmanagerTestContext extends TestContext {
  /** Another alerts list instead of `<distDir>/prometheus/alerts.json`. */
  readonly alertsFile?: string;
  /** How long the inhibition tests wait for Alertmanager to settle (default 20 s). */
  readonly inhibitionTimeoutMs?: number;
}

const EMPTY_TESTS: TestsFile = { routing: [], allowUnrouted: [], inhibition: [] };

async function readJson<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new O11yError(`cannot read ${what} ${file}: ${(error as Error).message}`, {
      id: 'alertmanager/test-input',
      hint: 'rebuild dist/ with `o11y build`',
    });
  }
}

/** A case that stands for a whole stage that could not run, so the report fails instead of passing empty. */
function stageFailure(name: string, error: unknown): TestCaseResult {
  return { name, passed: false, failure: toDiagnostics(error)[0]! };
}

function tally(label: string, cases: readonly TestCaseResult[]): string {
  const failed = cases.filter((c) => !c.passed).length;
  return `${label}: ${cases.length - failed} passed, ${failed} failed`;
}

/**
 * Runs the Alertmanager tests of a built dist/: typed routing cases through the pinned amtool, the
 * routing coverage of every alert in prometheus/alerts.json, and inhibition cases against the pinned
 * Alertmanager started on 127.0.0.1. A report with no config in dist/ has no cases.
 */
export async function runAlertmanagerTests(
  distDir: string,
  context: AlertmanagerTestContext,
): Promise<TestReport> {
  const suite = 'alertmanager';
  const configFile = path.resolve(distDir, DIST.alertmanager.config);
  if (!existsSync(configFile))
    return { suite, cases: [], summary: [`no dist/${DIST.alertmanager.config}: nothing to test`] };
  const selected = (name: string) => !context.filter || name.includes(context.filter);
  const testsFile = path.resolve(distDir, DIST.alertmanager.tests);
  let tests: TestsFile;
  let config: RoutingConfig;
  try {
    tests = existsSync(testsFile)
      ? await readJson<TestsFile>(testsFile, 'the Alertmanager tests')
      : EMPTY_TESTS;
    config = readRoutingConfig(await readFile(configFile, 'utf8'));
  } catch (error) {
    return { suite, cases: [stageFailure('reading dist/alertmanager', error)] };
  }

  let routing: TestCaseResult[];
  try {
    const cases = tests.routing.filter((c) => selected(`routing: ${c.name}`));
    routing =
      cases.length > 0 ? await runRoutingCases(toolPath('amtool', context.root), configFile, cases) : [];
  } catch (error) {
    routing = [stageFailure('routing', error)];
  }
  context.log(tally('routing', routing));

  let coverage: TestCaseResult[];
  try {
    const alertsFile = context.alertsFile ?? path.resolve(distDir, DIST.prometheus.alerts);
    const alerts = await readJson<AlertEntry[]>(alertsFile, 'the list of alerts');
    coverage = checkRoutingCoverage(alerts, config, tests.allowUnrouted).filter((c) => selected(c.name));
  } catch (error) {
    coverage = [stageFailure('coverage', error)];
  }
  context.log(tally('coverage', coverage));

  let inhibition: TestCaseResult[];
  try {
    const cases = tests.inhibition.filter((c) => selected(`inhibition: ${c.name}`));
    inhibition =
      cases.length > 0
        ? await runInhibitionCases(
            toolPath('alertmanager', context.root),
            config,
            cases,
            context.inhibitionTimeoutMs ?? 20_000,
          )
        : [];
  } catch (error) {
    inhibition = [stageFailure('inhibition', error)];
  }
  context.log(tally('inhibition', inhibition));

  return {
    suite,
    cases: [...routing, ...coverage, ...inhibition],
    summary: [
      tally('routing', routing),
      tally('routing coverage', coverage),
      tally('inhibition', inhibition),
    ],
  };
}

export const tester: Tester = { name: 'alertmanager', run: runAlertmanagerTests };
