import path from 'node:path';
import {
  type Artifact,
  type Definition,
  type Diagnostic,
  type Emitter,
  formatSource,
  kindOf,
  O11yErrors,
  stableStringify,
  toolPath,
} from '@o11y/core';
import { ALERTMANAGER_CONFIG, type AlertmanagerConfig } from './config.ts';
import type { LabelVocabulary } from './labels.ts';
import { CONFIG_FILE, renderConfig } from './render.ts';
import { ALERTMANAGER_TESTS, type AlertmanagerTests, type TestsFile } from './testing/cases.ts';
import { runTool } from './tools.ts';

/** Everything this package writes lives under `dist/alertmanager/`. */
export const DIST_DIR = 'alertmanager';
export const TESTS_FILE = 'tests.json';

type AnyConfig = AlertmanagerConfig<LabelVocabulary>;
type AnyTests = AlertmanagerTests<LabelVocabulary>;

function problem(message: string, definition: Definition, id: string, hint?: string): Diagnostic {
  return { severity: 'error', message, source: definition.source, id, ...(hint && { hint }) };
}

/** `dist/alertmanager/alertmanager.yml`, its templates and `tests.json`, from the one config of the build. */
function emit(definitions: readonly Definition[]): Artifact[] {
  const configs = definitions.filter((d) => kindOf(d) === ALERTMANAGER_CONFIG) as AnyConfig[];
  const tests = definitions.filter((d) => kindOf(d) === ALERTMANAGER_TESTS) as AnyTests[];
  const [config, ...others] = configs;
  const problems: Diagnostic[] = others.map((other) =>
    problem(
      `a second Alertmanager config; dist/${DIST_DIR}/${CONFIG_FILE} holds one`,
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
    path: `${DIST_DIR}/${file.path}`,
    kind: ALERTMANAGER_CONFIG,
    content: file.content,
    source: file.source,
  }));
  if (tests.length > 0) {
    const merged: TestsFile = {
      routing: tests.flatMap((t) => t.routing),
      allowUnrouted: tests.flatMap((t) => t.allowUnrouted),
      inhibition: tests.flatMap((t) => t.inhibition),
    };
    artifacts.push({
      path: `${DIST_DIR}/${TESTS_FILE}`,
      kind: ALERTMANAGER_TESTS,
      content: stableStringify(merged),
      source: tests[0]!.source,
    });
  }
  return artifacts;
}

/** The pinned `amtool check-config` on the written alertmanager.yml. */
async function verify(
  artifacts: readonly Artifact[],
  dir: string,
  context: { root: string },
): Promise<Diagnostic[]> {
  const config = artifacts.find((a) => a.path === `${DIST_DIR}/${CONFIG_FILE}`);
  if (!config) return [];
  const result = await runTool(
    toolPath('amtool', context.root),
    ['check-config', CONFIG_FILE],
    path.join(dir, DIST_DIR),
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

export const emitter: Emitter = {
  name: 'alertmanager',
  kinds: [ALERTMANAGER_CONFIG, ALERTMANAGER_TESTS],
  emit,
  verify,
};
