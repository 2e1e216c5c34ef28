import path from 'node:path';
import type { Check } from '../../../src/check.ts';
import { lint } from '../../../src/lint.ts';
import { loadFiles } from '../../../src/load/files.ts';

const formats = path.join(import.meta.dirname, '..', '..', 'fixtures', 'formats');

/** `line message` of one check's findings on the fixture alertmanager.yml (with the rules beside it, or not). */
export async function findingsOf(check: Check, withRules: boolean): Promise<string[]> {
  const files = ['alertmanager/alertmanager.yml', ...(withRules ? ['alertmanager/rules.yml'] : [])];
  const loaded = await loadFiles(files, formats);
  const { findings } = await lint(loaded.model, { sources: loaded.sources, checks: [check] });
  return findings.map((f) => `${f.source?.line} ${f.message}`);
}
