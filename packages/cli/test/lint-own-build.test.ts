import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

// Inside the repository, so that o11y.config.ts resolves @o11y/lint as an organisation's would.
const project = mkdtempSync(path.join(repoRoot, 'packages', 'cli', '.lint-own-build-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('o11y lint of the project’s own build', () => {
  // A workspace root of its own: the project o11y finds from there.
  writeFileSync(
    path.join(project, 'package.json'),
    '{ "private": true, "type": "module", "workspaces": [] }\n',
  );
  writeFileSync(
    path.join(project, 'o11y.config.ts'),
    [
      "import { defineConfig } from '@o11y/lint';",
      'export default defineConfig({',
      "  suppressions: [{ check: 'dashboard/panel-title', dashboard: 'home', reason: 'kept for the test' }],",
      '});',
      '',
    ].join('\n'),
  );
  mkdirSync(path.join(project, 'dist', 'prometheus'), { recursive: true });
  writeFileSync(
    path.join(project, 'dist', 'prometheus', 'rules.yml'),
    'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  );

  it('reports no suppression unused when it lints a part of the build: the rest may use them', () => {
    const part = o11y(['lint', 'dist/prometheus'], { cwd: project });
    expect(part.status).toBe(0);
    expect(part.stdout).not.toContain('lint/unused-suppression');
  });

  it('reports a suppression that silences nothing in the whole build', () => {
    const whole = o11y(['lint', 'dist'], { cwd: project });
    expect(whole.stdout).toContain(
      'suppression of dashboard/panel-title ("kept for the test") silences nothing',
    );
  });
});

describe('a project whose package.json does not say "type": "module"', () => {
  it('is told so, at o11y.config.ts, with the fix: not an internal error', () => {
    const commonJs = mkdtempSync(path.join(repoRoot, 'packages', 'cli', '.common-js-'));
    try {
      writeFileSync(path.join(commonJs, 'package.json'), '{ "private": true, "workspaces": [] }\n');
      writeFileSync(
        path.join(commonJs, 'o11y.config.ts'),
        "import { defineConfig } from '@o11y/lint';\nexport default defineConfig({});\n",
      );
      const run = o11y(['lint'], { cwd: commonJs });
      expect(run.status).toBe(1);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stderr).toContain(
        'o11y.config.ts:1:1  o11y.config.ts is read as CommonJS: package.json does not say "type": "module"',
      );
      expect(run.stderr).toContain('add "type": "module" to the package.json of the project root');
    } finally {
      rmSync(commonJs, { recursive: true, force: true });
    }
  });
});
