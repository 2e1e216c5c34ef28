import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toDiagnostics } from '@o11y/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  alertmanager,
  alertmanagerTests,
  emitter,
  receiver,
  renderConfig,
  renderDeployable,
  runAlertmanagerTests,
  secret,
} from '../src/index.ts';
import { alertEntry, buildContext, buildDist, root } from './helpers.ts';

/** Values that must never appear outside a deployable render: in dist/, a log line or an error. */
const CANARIES = {
  O11Y_CANARY_PAGERDUTY: 'c4n4ryPagerDuty0e1f2a3b4c5d6e7f8a9',
  O11Y_CANARY_SMTP: 'c4n4ry-smtp-password-7d1c',
  O11Y_CANARY_SLACK: 'https://hooks.slack.com/services/TCANARY/BCANARY/c4n4rySlackWebhook',
};
const IN_FILE = 'c4n4ry-from-a-secret-file-91b2';
const PASTED = 'https://discord.com/api/webhooks/1234/c4n4ryPastedLiteral';
const ALL = [...Object.values(CANARIES), IN_FILE, PASTED, 'c4n4ry'];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('secrets canary', () => {
  const printed: string[] = [];
  beforeEach(() => {
    for (const [name, value] of Object.entries(CANARIES)) vi.stubEnv(name, value);
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) =>
        printed.push(args.map(String).join(' ')),
      );
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('no secret reaches dist/, logs or error messages; only the deployable render holds them', async () => {
    const secretFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'o11y-canary-')), 'slack-url');
    await writeFile(secretFile, IN_FILE);
    const pager = receiver('pager').pagerduty({ routingKey: secret.env('O11Y_CANARY_PAGERDUTY') });
    const chat = receiver('chat').slack({ apiUrl: secret.env('O11Y_CANARY_SLACK'), channel: '#alerts' });
    const files = receiver('files').slack({ apiUrl: secret.file(secretFile), channel: '#files' });
    const mail = receiver('mail').email({ to: 'team@example.org' });
    const config = alertmanager<{ severity: 'critical' | 'warning' | 'info'; team: 'a' }>()
      .global({
        smtp: {
          from: 'am@example.org',
          smarthost: 'smtp.example.org:587',
          authPassword: secret.env('O11Y_CANARY_SMTP'),
        },
      })
      .defaultReceiver(mail)
      .route((r) => r.where('severity', 'critical').to(pager).continue())
      .route((r) => r.where('severity', 'critical').to(chat))
      .route((r) => r.where('severity', 'warning').to(files))
      .inhibit('crit', (rule) =>
        rule.whenFiring((m) => m.where('severity', 'critical')).mutes((m) => m.where('severity', 'warning')),
      );
    const tests = alertmanagerTests(config)
      .routes('critical', { alertname: 'A', severity: 'critical' }, [pager, chat])
      .inhibits('critical mutes warning', {
        firing: { alertname: 'A', severity: 'critical' },
        target: { alertname: 'A', severity: 'warning' },
      });

    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    const ruleAlerts = [alertEntry('A', { severity: 'critical' }), alertEntry('A', { severity: 'warning' })];
    const dist = await buildDist([config, tests], ruleAlerts, log);
    const build = buildContext(log);
    const artifacts = await emitter.emit([config, tests], build);
    const verifyDiagnostics = await emitter.verify!(artifacts, dist, build);
    expect(verifyDiagnostics).toEqual([]);
    const report = await runAlertmanagerTests(dist, { root, log });
    expect(
      report.cases
        .filter((c) => c.name.startsWith('routing') || c.name.startsWith('inhibition'))
        .every((c) => c.passed),
    ).toBe(true);

    // Every error path that sees a secret or a pasted literal.
    const errors: string[] = [];
    const capture = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        errors.push(String(error), ...toDiagnostics(error).map((d) => `${d.message} ${d.hint ?? ''}`));
      }
    };
    capture(() => secret.file(PASTED));
    capture(() => secret.env(PASTED));
    capture(() =>
      renderConfig(
        alertmanager().defaultReceiver(receiver('leak').slack({ apiUrl: secret.file('/x'), text: PASTED })),
      ),
    );
    capture(() =>
      renderConfig(
        alertmanager().defaultReceiver(
          receiver('raw').pagerduty({ routingKey: CANARIES.O11Y_CANARY_PAGERDUTY as never }),
        ),
      ),
    );
    capture(() => renderDeployable(config, { O11Y_CANARY_PAGERDUTY: CANARIES.O11Y_CANARY_PAGERDUTY }));
    expect(errors.length).toBeGreaterThanOrEqual(10);

    const written = await Promise.all((await filesUnder(dist)).map((file) => readFile(file, 'utf8')));
    const everything = [
      ...written,
      ...logged,
      ...printed,
      ...errors,
      ...report.cases.map((c) => JSON.stringify(c)),
    ].join('\n');
    for (const canary of ALL) expect(everything).not.toContain(canary);
    expect(written.join('\n')).toContain('api_url_file: /etc/alertmanager/secrets/O11Y_CANARY_SLACK');

    // The control: the values were reachable, and an explicit deployable render does write them.
    const deployable = renderDeployable(config, process.env)
      .map((f) => f.content)
      .join('\n');
    for (const value of Object.values(CANARIES)) expect(deployable).toContain(value);
    expect(deployable).not.toContain(IN_FILE);
  });
});
