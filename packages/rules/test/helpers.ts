import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type AlertEvaluator,
  type Artifact,
  type BuildContext,
  type Definition,
  projectRootOf,
  writeTree,
} from '@o11y/core';
import { afterAll } from 'vitest';
import { emitter } from '../src/index.ts';

export const root = projectRootOf(path.dirname(new URL(import.meta.url).pathname));
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

export function context(
  definitions: readonly Definition[],
  profile = 'default',
  alerting: AlertEvaluator = 'prometheus',
): BuildContext {
  return { root, definitions, profile, log: () => {}, alerting };
}

/** Emits the definitions into a fresh dist/ folder, as `o11y build` would. */
export async function build(
  definitions: readonly Definition[],
  profile = 'default',
  alerting: AlertEvaluator = 'prometheus',
): Promise<{ dir: string; artifacts: readonly Artifact[]; file: (p: string) => string }> {
  const artifacts = [...emitter.emit(definitions, context(definitions, profile, alerting))];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-rules-test-'));
  made.push(dir);
  await writeTree(dir, artifacts);
  const file = (p: string) => {
    const found = artifacts.find((a) => a.path === p);
    if (!found) throw new Error(`no artifact ${p}; have ${artifacts.map((a) => a.path).join(', ')}`);
    return found.content;
  };
  return { dir, artifacts, file };
}
