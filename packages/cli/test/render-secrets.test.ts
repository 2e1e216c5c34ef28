import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { o11y, repoRoot } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-render-secrets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const canaries = { SMTP_PASSWORD: 'canary-smtp-7f3a', PAGERDUTY_ROUTING_KEY: 'canary-pd-91c2' };

describe('o11y build --render-secrets', () => {
  it('writes the deployable config with the environment values outside the checkout, printing none', () => {
    const out = path.join(scratch, 'deploy');
    const result = o11y(['build', '--render-secrets', out], { env: canaries });
    expect(result.status, result.stderr).toBe(0);
    const config = readFileSync(path.join(out, 'alertmanager.yml'), 'utf8');
    expect(statSync(path.join(out, 'alertmanager.yml')).mode & 0o777).toBe(0o600);
    expect(config).toContain(canaries.SMTP_PASSWORD);
    expect(config).toContain(canaries.PAGERDUTY_ROUTING_KEY);
    for (const value of Object.values(canaries)) expect(result.stdout + result.stderr).not.toContain(value);
  }, 60_000);

  it('refuses a folder of the checkout that git does not ignore, and dist/', () => {
    const tracked = o11y(['build', '--render-secrets', 'docs/deploy'], { env: canaries });
    expect(tracked.status).toBe(2);
    expect(tracked.stderr).toContain('not git-ignored');
    expect(existsSync(path.join(repoRoot, 'docs', 'deploy'))).toBe(false);
    expect(o11y(['build', '--render-secrets', 'dist/deploy'], { env: canaries }).status).toBe(2);
  }, 60_000);

  it('names the TypeScript line of every secret whose variable is missing, without values', () => {
    const result = o11y(['build', '--render-secrets', path.join(scratch, 'partial')], {
      env: { SMTP_PASSWORD: canaries.SMTP_PASSWORD, PAGERDUTY_ROUTING_KEY: '' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /alertmanager\/config\.ts:\d+:\d+ {2}environment variable PAGERDUTY_ROUTING_KEY is not set/,
    );
    expect(result.stderr).not.toContain(canaries.SMTP_PASSWORD);
    expect(existsSync(path.join(scratch, 'partial'))).toBe(false);
  }, 60_000);
});
