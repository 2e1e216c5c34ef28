// Renders docs/checks/ from the lint checks themselves: one page per check and an index.
// Run with `npx tsx scripts/render-check-docs.ts`; the lint tests fail when a page is stale.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@o11y/core';
import { allChecks, renderCheckDoc, renderCheckIndex } from '@o11y/lint';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs', 'checks');

const pages = new Map<string, string>([['README.md', renderCheckIndex(allChecks)]]);
for (const check of allChecks) pages.set(`${check.id}.md`, renderCheckDoc(check));

// Pages of checks that no longer exist are removed, so the folder always matches the checks.
async function existing(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) found.push(...(await existing(path.join(dir, entry.name), `${relative}/`)));
    else found.push(relative);
  }
  return found;
}
for (const stale of (await existing(out)).filter((file) => !pages.has(file))) await rm(path.join(out, stale));
for (const [file, content] of pages) await writeFileAtomic(path.join(out, file), content);
process.stdout.write(`wrote ${pages.size} pages to docs/checks/\n`);
