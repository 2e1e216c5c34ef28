import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BuildContext, type Definition, projectRootOf, writeTree } from '@o11y/core';
import { emitter } from '../src/index.ts';

export const root = projectRootOf(process.cwd());
export const fixtureAlerts = path.join(import.meta.dirname, 'fixtures', 'alerts.json');

export function buildContext(log: (line: string) => void = () => {}): BuildContext {
  return { root, definitions: [], profile: 'default', log };
}

/** Emits the definitions into a fresh dist/ directory, as `o11y build` would, and returns its path. */
export async function buildDist(
  definitions: readonly Definition[],
  log?: (line: string) => void,
): Promise<string> {
  const dist = await mkdtemp(path.join(os.tmpdir(), 'o11y-am-dist-'));
  const context = buildContext(log);
  const artifacts = await emitter.emit(definitions, context);
  await writeTree(dist, artifacts);
  return dist;
}
