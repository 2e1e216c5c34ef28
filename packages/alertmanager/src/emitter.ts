import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Artifact,
  type BuildContext,
  type Definition,
  DIST,
  type Diagnostic,
  type Emitter,
  formatSource,
  kindOf,
  O11yErrors,
  stableStringify,
  toolPath,
  type WrittenArtifact,
} from '@o11y/core';
import { ALERTMANAGER_CONFIG, type AlertmanagerConfig } from './config.ts';
import type { LabelVocabulary } from './labels.ts';
import { CONFIG_FILE, renderConfig } from './render.ts';
import { ALERTMANAGER_TESTS, type AlertmanagerTests, type TestsFile } from './testing/cases.ts';
import type { AlertEntry } from './testing/coverage.ts';
import { runTool } from './tools.ts';
import { emittedLabels } from './verify/alert-labels.ts';
import { checkMatcherLabels } from './verify/matcher-labels.ts';
import { checkTestAlerts } from './verify/test-alerts.ts';

type AnyConfig = AlertmanagerConfig<LabelVocabulary>;
type AnyTests = AlertmanagerTests<LabelVocabulary>;

/** What each build's alertmanager.yml was built from, for verify's checks against the built rules. */
const builtFrom = new WeakMap<BuildContext, { config: AnyConfig; tests: TestsFile }>();

function problem(message: string, definition: Definition, id: string, hint?: string): Diagnostic {
  return { severity: 'error', message, source: definition.source, id, ...(hint && { hint }) };
}

/** `dist/alertmanager/alertmanager.yml`, its templates and `tests.json`, from the one config of the build. */
function emit(definitions: readonly Definition[], context: BuildContext): Artifact[] {
  const configs = definitions.filter((d) => kindOf(d) === ALERTMANAGER_CONFIG) as AnyConfig[];
  const tests = definitions.filter((d) => kindOf(d) === ALERTMANAGER_TESTS) as AnyTests[];
  const [config, ...others] = configs;
  const problems: Diagnostic[] = others.map((other) =>
    problem(
      `a second Alertmanager config; dist/${DIST.alertmanager.config} holds one`,
      other,
      'alertmanager/one-config',
      `keep one exported config (the first is at ${formatSource(config?.source)})`,
    ),
  );
  for (const suite of tests) {
    if (suite.config !== config) {
      problems.push(
        problem(
          'these Alertmanager tests are for a config that is not the one built',
          suite,
          'alertmanager/tests-config',
          'pass the exported config to alertmanagerTests()',
        ),
      );
    }
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  if (!config) return [];
  const artifacts: Artifact[] = renderConfig(config).map((file) => ({
    path: `${DIST.alertmanager.dir}/${file.path}`,
    kind: ALERTMANAGER_CONFIG,
    content: file.content,
    source: file.source,
  }));
  const merged: TestsFile = {
    routing: tests.flatMap((t) => t.routing),
    allowUnrouted: tests.flatMap((t) => t.allowUnrouted),
    inhibition: tests.flatMap((t) => t.inhibition),
  };
  builtFrom.set(context, { config, tests: merged });
  if (tests.length > 0) {
    artifacts.push({
      path: DIST.alertmanager.tests,
      kind: ALERTMANAGER_TESTS,
      content: stableStringify(merged),
      source: tests[0]!.source,
    });
  }
  return artifacts;
}

/** The pinned `amtool check-config` on the written alertmanager.yml. */
async function checkConfig(config: WrittenArtifact, dir: string, root: string): Promise<Diagnostic[]> {
  const result = await runTool(
    toolPath('amtool', root),
    ['check-config', CONFIG_FILE],
    path.join(dir, DIST.alertmanager.dir),
  );
  if (result.code === 0) return [];
  return [
    {
      severity: 'error',
      message: `amtool check-config rejected dist/${config.path}:\n${result.output}`,
      source: config.source,
      id: 'alertmanager/check-config',
      hint: 'fix the config in TypeScript; the message above is amtool’s',
    },
  ];
}

/** The alerts the rules emitter wrote beside us; none when the build has no alerting rules. */
async function builtAlerts(dir: string, config: WrittenArtifact): Promise<AlertEntry[] | Diagnostic> {
  let text: string;
  try {
    text = await readFile(path.join(dir, DIST.prometheus.alerts), 'utf8');
  } catch {
    return [];
  }
  try {
    return JSON.parse(text) as AlertEntry[];
  } catch (error) {
    return {
      severity: 'error',
      message: `cannot read dist/${DIST.prometheus.alerts}: ${(error as Error).message}`,
      source: config.source,
      id: 'alertmanager/alerts-list',
      hint: 'the rules emitter writes it; rebuild',
    };
  }
}

/**
 * amtool check-config on the written file, then the config and its tests against the alerts the
 * rules of this build emit: matchers on labels or values no alert carries, cases about invented alerts.
 */
async function verify(
  artifacts: readonly WrittenArtifact[],
  dir: string,
  context: BuildContext,
): Promise<Diagnostic[]> {
  const config = artifacts.find((a) => a.path === DIST.alertmanager.config);
  if (!config) return [];
  const problems = await checkConfig(config, dir, context.root);
  const built = builtFrom.get(context);
  if (!built) return problems;
  const alerts = await builtAlerts(dir, config);
  if (!Array.isArray(alerts)) return [...problems, alerts];
  return [
    ...problems,
    ...checkMatcherLabels(built.config, emittedLabels(alerts)),
    ...checkTestAlerts(built.tests, alerts),
  ];
}

export const emitter: Emitter<readonly Artifact[]> = {
  name: 'alertmanager',
  kinds: [ALERTMANAGER_CONFIG, ALERTMANAGER_TESTS],
  testKinds: [ALERTMANAGER_TESTS],
  emit,
  verify,
};
