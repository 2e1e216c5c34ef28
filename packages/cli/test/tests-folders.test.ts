import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

// The build's test fixture, with a tests folder declared and a module there that throws when imported.
const root = mkdtempSync(path.join(tmpdir(), 'o11y-tests-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
cpSync(path.join(repoRoot, 'packages', 'build', 'test', 'fixture'), root, { recursive: true });
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
writeFileSync(
  path.join(root, 'o11y.config.ts'),
  `import { defineProject } from '@o11y/core';
import { defineConfig } from '@o11y/lint';
import { catalog } from './catalog.ts';

export const project = defineProject({ definitions: ['rules', 'dashboards'], tests: ['rules/tests'] });
export default defineConfig({ catalog });
`,
);
mkdirSync(path.join(root, 'rules', 'tests'));
writeFileSync(
  path.join(root, 'rules', 'tests', 'shop.ts'),
  "throw new Error('a tests module was imported');\n",
);

describe("the layout's tests folders", () => {
  it('are not loaded by o11y lint, and are by o11y build', () => {
    const lint = o11y(['lint'], { cwd: root });
    expect(lint.stderr).not.toContain('a tests module was imported');
    expect(lint.status).toBe(0);
    const build = o11y(['build', '--no-verify'], { cwd: root });
    expect(build.stderr).toMatch(/^rules\/tests\/shop\.ts:1:\d+ .*a tests module was imported/m);
    expect(build.status).toBe(1);
  });
});
