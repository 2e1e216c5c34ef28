/**
 * `o11y dev` on the sample organisation: how long a rebuild takes after a one-line change to a
 * dashboard module (re-import, build without verifiers, re-render the changed pages). Target: ≤ 1 s.
 * Works on a copy of the organisation inside the repository, so the sources are never touched.
 */
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from '@o11y/build';
import { loadProjectLayout, projectRootOf } from '@o11y/core';
import { startDev } from '@o11y/preview';

const ROUNDS = 5;
const root = projectRootOf(process.cwd());
const copy = path.join(root, `.o11y-dev-bench-${process.pid}`);
const scratch = await mkdtemp(path.join(tmpdir(), 'o11y-dev-bench-'));
const layout = await loadProjectLayout(root);
const folders = [...new Set([...layout.definitions, path.posix.dirname(layout.catalog)])];
try {
  for (const folder of folders)
    await cp(path.join(root, folder), path.join(copy, folder), { recursive: true });
  const started = performance.now();
  const session = await startDev({
    watch: folders.map((folder) => path.join(copy, folder)),
    build: async (importModule) =>
      (await build({ root: copy, out: path.join(scratch, 'dist'), verify: false, importModule })).outDir,
    serve: false,
  });
  process.stdout.write(
    `dev-rebuild: first build and render of every page ${Math.round(performance.now() - started)} ms\n`,
  );
  const edited = path.join(copy, 'dashboards', 'overview.ts');
  const original = await readFile(edited, 'utf8');
  const unchanged: number[] = [];
  const retitled: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // A one-line change that leaves every dashboard as it was: only the rebuild is measured.
    await appendFile(edited, `export const benchEdit${round} = ${round};\n`);
    unchanged.push((await session.rebuild()).ms);
    // A one-line change to a dashboard: its page is rendered again.
    await writeFile(edited, original.replace('errorRatio: API_ERROR_RATE,', `errorRatio: 0.0${round}5,`));
    const outcome = await session.rebuild();
    if (outcome.changed.length === 0)
      throw new Error('the edit changed no dashboard; the benchmark no longer edits one');
    retitled.push(outcome.ms);
    await writeFile(edited, original);
  }
  await session.stop();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [one, five] = loadavg();
  process.stdout.write(
    [
      `dev-rebuild: one-line change, no dashboard changed: median ${Math.round(median(unchanged))} ms (min ${Math.round(Math.min(...unchanged))}, max ${Math.round(Math.max(...unchanged))})`,
      `dev-rebuild: one-line change to a dashboard, page re-rendered: median ${Math.round(median(retitled))} ms (min ${Math.round(Math.min(...retitled))}, max ${Math.round(Math.max(...retitled))})`,
      `dev-rebuild: target ≤ 1000 ms; load average ${one!.toFixed(1)} / ${five!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
    ].join('\n') + '\n',
  );
} finally {
  await rm(copy, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
}
