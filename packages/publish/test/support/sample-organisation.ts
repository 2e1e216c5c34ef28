import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DistTree, readDistTree } from '../../src/built/tree.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const cli = path.join(repoRoot, 'packages', 'cli', 'bin', 'o11y.mjs');

/**
 * The sample organisation (rules/, dashboards/, alertmanager/ at the repository root) built by the real
 * `o11y build` into a temporary directory. The CLI runs as a process rather than being imported: the
 * `o11y` package depends on this one, so importing it here would make the workspace graph a cycle.
 * Verifiers are skipped (`--no-verify`): publishing reads the files, it does not need promtool's verdict.
 */
export async function buildSampleOrganisation(): Promise<DistTree> {
  const dir = await mkdtemp(path.join(tmpdir(), 'o11y-sample-org-'));
  try {
    const out = path.join(dir, 'dist');
    await promisify(execFile)(process.execPath, [cli, 'build', '--out', out, '--no-verify'], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    return await readDistTree(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
