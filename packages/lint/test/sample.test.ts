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
});
