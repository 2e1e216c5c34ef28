import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../src/main.ts';
import { bin, o11y, repoRoot } from './helpers.ts';

const verbs = [...(await loadCommands()).keys()];

/** Runs the CLI with a module hook that reports every module the process loads (ESM and the CommonJS it requires). */
function loadedModules(args: readonly string[], cwd: string): { status: number | null; loaded: string[] } {
  const hook = `data:text/javascript,${encodeURIComponent(`
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(
      'export async function load(url, context, next) { process._rawDebug("loaded " + url); return next(url, context); }'));`)}`;
  const run = spawnSync(process.execPath, ['--import', hook, bin, ...args], { cwd, encoding: 'utf8' });
  const loaded = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('loaded file:'))
    .map((line) => line.slice('loaded '.length));
  return { status: run.status, loaded };
}

describe('every verb', () => {
  it('is listed by o11y --help', () => {
    const help = o11y(['--help']);
    expect(help.status).toBe(0);
    for (const verb of verbs) expect(help.stdout).toContain(`  ${verb} `);
  });

  it.each(verbs)(
    '%s: --help prints its usage with exit 0; an unknown option is a usage error (exit 2)',
    (verb) => {
      const help = o11y([verb, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`o11y ${verb}`);
      const bad = o11y([verb, '--no-such-option']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`o11y ${verb}`);
      expect(bad.stderr).not.toContain('internal error:');
    },
    30_000,
  );

  it('o11y --help loads no library but @o11y/core: the verbs load theirs when they run', () => {
    const { status, loaded } = loadedModules(['--help'], repoRoot);
    expect(status).toBe(0);
    const packages = new Set(
      loaded.map(
        (url) =>
          /\/packages\/([^/]+)\//.exec(url)?.[1] ?? /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1],
      ),
    );
    expect([...packages].sort()).toEqual(['cli', 'core']);
  });

  it('o11y lint of a rule file outside a project starts neither tsx nor the wasm parser', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'o11y-plain-'));
    try {
      writeFileSync(
        path.join(dir, 'rules.yml'),
        'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
      );
      const { status, loaded } = loadedModules(['lint', 'rules.yml'], dir);
      expect(status).toBe(0);
      expect(loaded.filter((url) => url.includes('/packages/lint/'))).not.toEqual([]);
      expect(loaded.filter((url) => /\/node_modules\/tsx\/|\/wasm_exec\.js$/.test(url))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("o11y lint of the sample imports the organisation's modules compiled, without tsx", () => {
    const { status, loaded } = loadedModules(['lint'], repoRoot);
    expect(status).toBe(0);
    const compiled = loaded.filter((url) => url.includes('/node_modules/.cache/o11y/modules/'));
    for (const definitions of [
      'o11y.config.ts.mjs',
      '/catalog/',
      '/rules/',
      '/dashboards/',
      '/alertmanager/',
    ])
      expect(compiled.filter((url) => url.includes(definitions))).not.toEqual([]);
    expect(loaded.filter((url) => url.endsWith('.ts'))).toEqual([]);
    expect(loaded.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
  });

  it('o11y lint of the sample loads each library whose own modules are bundled as its entry alone', () => {
    const packagesDir = path.join(repoRoot, 'packages');
    const bundled = readdirSync(packagesDir)
      .filter((name) => existsSync(path.join(packagesDir, name, 'package.json')))
      .filter((name) => {
        const manifest = JSON.parse(readFileSync(path.join(packagesDir, name, 'package.json'), 'utf8')) as {
          compile?: { bundleOwnModules?: boolean };
        };
        return manifest.compile?.bundleOwnModules === true;
      });
    expect(bundled).toEqual(
      expect.arrayContaining(['build', 'core', 'dashboards', 'lint', 'promql', 'rules']),
    );
    const { status, loaded } = loadedModules(['lint'], repoRoot);
    expect(status).toBe(0);
    const modulesOf = (name: string) =>
      loaded
        .filter((url) => url.includes(`/packages/${name}/dist/`))
        .map((url) => url.slice(url.indexOf(`/packages/${name}/dist/`) + `/packages/${name}/dist/`.length));
    for (const name of bundled) {
      const modules = modulesOf(name);
      expect({ name, loaded: modules.length > 0 }).toEqual({ name, loaded: true });
      expect({
        name,
        modules: modules.filter((m) => m !== 'index.js' && !/^own-chunk-\w+\.js$/.test(m)),
      }).toEqual({
        name,
        modules: [],
      });
    }
  });

  it('o11y publish --help lists every publish target', async () => {
    const { publishers } = await import('@o11y/publish');
    const help = o11y(['publish', '--help']);
    expect(help.status).toBe(0);
    for (const publisher of publishers) expect(help.stdout).toContain(`o11y publish ${publisher.name}\n`);
  });

  it('an unknown verb is a usage error', () => {
    const result = o11y(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
