import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BuildContext, type Definition, DIST, projectRootOf, writeTree } from '@o11y/core';
import { type AlertEntry, emitter } from '../src/index.ts';

export const root = projectRootOf(process.cwd());

export function buildContext(log: (line: string) => void = () => {}): BuildContext {
  return { root, definitions: [], profile: 'default', log };
}

/** An alert of the rules as `dist/prometheus/alerts.json` lists it. */
export function alertEntry(
  name: string,
  labels: Record<string, string>,
  keptLabels: string[] = [],
): AlertEntry {
  return { alert: name, group: 'g', labels, keptLabels, source: { file: 'rules/x.ts', line: 1, column: 1 } };
}

/**
 * Emits the definitions into a fresh dist/ directory, as `o11y build` would, beside the alerts the
 * rules emitter would have written, and returns its path.
 */
export async function buildDist(
  definitions: readonly Definition[],
  alerts: readonly AlertEntry[],
  log?: (line: string) => void,
): Promise<string> {
  const dist = await mkdtemp(path.join(os.tmpdir(), 'o11y-am-dist-'));
  const context = buildContext(log);
  const artifacts = await emitter.emit(definitions, context);
  await writeTree(dist, [...artifacts, { path: DIST.prometheus.alerts, content: JSON.stringify(alerts) }]);
  return dist;
}
