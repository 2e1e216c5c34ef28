import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.ts';
import { renderCheckDoc } from '../src/docs.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const checksDir = path.join(here, '..', 'src', 'checks');
const repoRoot = path.join(here, '..', '..', '..');

function checkFiles(): string[] {
  return readdirSync(checksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((area) =>
      readdirSync(path.join(checksDir, area.name)).map((file) => `${area.name}/${file.replace(/\.ts$/, '')}`),
    )
    .sort();
}

describe('the check registry', () => {
  it('registers one check per file, whose id is its path', () => {
    expect(allChecks.map((c) => c.id).sort()).toEqual(checkFiles());
  });

  it('gives every check a test file, a one-paragraph doc and an up-to-date doc page', () => {
    for (const check of allChecks) {
      expect(
        existsSync(path.join(here, 'checks', `${check.id}.test.ts`)),
        `${check.id} has no test file`,
      ).toBe(true);
      expect(check.doc.split('\n\n'), `${check.id} doc is one paragraph`).toHaveLength(1);
      const page = path.join(repoRoot, 'docs', 'checks', `${check.id}.md`);
      expect(
        existsSync(page),
        `docs/checks/${check.id}.md is missing: run npx tsx scripts/render-check-docs.ts`,
      ).toBe(true);
      expect(
        readFileSync(page, 'utf8'),
        `docs/checks/${check.id}.md is stale: run npx tsx scripts/render-check-docs.ts`,
      ).toBe(renderCheckDoc(check));
    }
  });
});
