import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { o11y } from './o11y.ts';

const root = path.join(import.meta.dirname, '..', '..', '..');

describe('the sample organisation', () => {
  // The command CI runs, on the repository's own definitions and o11y.config.ts.
  it('lints clean at --fail-on=warning', async () => {
    const { code, stdout, stderr } = await o11y(root, 'lint', '--fail-on=warning', '--format=json');
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as {
      findings: { id: string; message: string; source?: { file: string; line: number } }[];
    };
    // Listed with their lines, so a failure says what to fix.
    expect(report.findings.map((f) => `${f.source?.file}:${f.source?.line} ${f.id} ${f.message}`)).toEqual(
      [],
    );
    expect(code).toBe(0);
  }, 120_000);

  // The checks of plain files (alertmanager/*, rules/duplicate…) read what the build writes.
  it('writes rule files and an Alertmanager configuration that lint clean as plain files', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'o11y-sample-build-'));
    try {
      expect((await o11y(root, 'build', '--no-verify', '--out', out)).code).toBe(0);
      const files = [path.join(out, 'prometheus', 'rules'), path.join(out, 'alertmanager')];
      // Written outside dist/: --catalog gives them the catalogue (and its dimensions), as dist/ would have.
      const { code, stdout } = await o11y(
        root,
        'lint',
        ...files,
        '--catalog',
        '--fail-on=warning',
        '--format=json',
      );
      const report = JSON.parse(stdout) as { findings: { id: string; message: string }[] };
      expect(report.findings.map((f) => `${f.id} ${f.message}`)).toEqual([]);
      expect(code).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
