import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

/**
 * Usual mistakes give one error each, with a check id, the TypeScript file:line and a hint — never a
 * crash. The builds run with --no-verify: these are the runtime paths, which the type check in a
 * full build would otherwise reach first.
 */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-mistakes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', workspaces: [] }),
  );
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => /\(\S+\/\S+\)$/.test(l));

describe('user mistakes', () => {
  it('raw(expr) without options builds a rule', () => {
    const dir = project('raw', {
      'rules/raw.ts': [
        "import { raw } from '@o11y/catalog';",
        "import { record, ruleGroup } from '@o11y/rules';",
        "export const up = ruleGroup('up', { file: 'up', rules: [record('job:up:sum', raw('sum by (job) (up)'))] });",
        '',
      ].join('\n'),
    });
    const result = o11y(['build', '--no-verify'], { cwd: dir });
    expect(result.stderr).not.toContain('Cannot read properties');
    expect(result.status, result.stderr).toBe(0);
  }, 60_000);

  it('a route sent to a receiver name instead of a receiver names the line, the check and the fix', () => {
    const dir = project('route', {
      'alertmanager/config.ts': [
        "import { alertmanager, receiver } from '@o11y/alertmanager';",
        "const chat = receiver('chat');",
        'export const config = alertmanager<{ team: string }>()',
        '  .defaultReceiver(chat)',
        "  .route((r) => r.where('team', 'fulfilment').to('slack-fulfilment' as never));",
        '',
      ].join('\n'),
    });
    const result = o11y(['build', '--no-verify'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toContain('is not iterable');
    expect(errorLines(result.stderr)).toEqual([
      'alertmanager/config.ts:5:47  .to() needs a receiver, not "slack-fulfilment"  (alertmanager/route-receiver)',
    ]);
    expect(result.stderr).toContain("hint: define it with receiver('name')");
  }, 60_000);

  it('an error in a module every definition imports is reported once, with a hint naming that module', () => {
    const definition = (name: string) =>
      [
        "import { ruleGroup } from '@o11y/rules';",
        "import { services } from '../catalog/services.ts';",
        `export const ${name} = ruleGroup('${name}', { file: '${name}', rules: [], untested: String(services.length) } as never);`,
        '',
      ].join('\n');
    const dir = project('shared', {
      'catalog/services.ts': [
        "import { service } from '@o11y/catalog';",
        'export const services = [',
        "  service('shop', { description: 'the shop', team: 'web', instrumentation: 'prom-client', tier: 'high', replicas: 2, port: -1, datastores: [] }),",
        '];',
        '',
      ].join('\n'),
      'rules/a.ts': definition('a'),
      'rules/b.ts': definition('b'),
      'dashboards/c.ts': definition('c'),
    });
    const result = o11y(['build', '--no-verify'], { cwd: dir });
    expect(result.status).toBe(1);
    const errors = errorLines(result.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^catalog\/services\.ts:3:3 {2}service shop: port must be 1–65535 {2}\(build\/module\)$/,
    );
    expect(result.stderr).toContain('hint: fix the error in catalog/services.ts;');
  }, 60_000);
});
