import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { toolPath } from '@o11y/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseMatchers } from '../src/alertmanager/matchers.ts';
import { compareAlertmanagerConfigs, type ImportReport, planImport } from '../src/index.ts';
import { o11y } from './cli.ts';
import { FIXTURES, REPO, scratchOrganisation } from './scratch.ts';

const FIXTURE = path.join(FIXTURES, 'alertmanager');
const CONFIG = path.join(FIXTURE, 'alertmanager.yml');
/** The fixture's inline secrets (fake, but written as real ones would be). */
const SECRETS = [
  'shopWebhookToken0042',
  'Sm7pPassw0rdOfTheShop',
  '5f0c1e2d3b4a59687766554433221100',
  'PagerBearerCredential77',
  'storefrontHookToken99',
  'EmailPassw0rdStorefront',
  'Aud1tHookPassw0rd',
  'BasicAuthPassw0rdAudit',
];
const run = promisify(execFile);

describe('o11y import of an alertmanager.yml', () => {
  let org: Awaited<ReturnType<typeof scratchOrganisation>>;
  let report: ImportReport;
  let output: string;
  let built: string;

  beforeAll(async () => {
    org = await scratchOrganisation();
    // An organisation without an Alertmanager config; the routes match the labels of the imported rules.
    await rm(path.join(org.root, 'alertmanager'), { recursive: true });
    const imported = await o11y(org.root, 'import', FIXTURE, '--verify', '--format', 'json');
    output = imported.stdout + imported.stderr;
    expect(imported.stderr).toContain('and the Alertmanager config to the same alertmanager.yml');
    expect(imported.code).toBe(0);
    report = JSON.parse(imported.stdout) as ImportReport;
    const build = await o11y(org.root, 'build', '--out', 'dist');
    output += build.stdout + build.stderr;
    expect(build.code).toBe(0);
    built = await readFile(path.join(org.root, 'dist/alertmanager/alertmanager.yml'), 'utf8');
  }, 300_000);
  afterAll(() => org.remove());

  test('the built alertmanager.yml equals the input but for the normalisations the report lists', async () => {
    expect(report.written).toEqual(
      expect.arrayContaining(['alertmanager/config.ts', 'alertmanager/templates/shop.tmpl']),
    );
    const plan = await planImport({ root: org.root, inputs: [CONFIG], force: true });
    expect(compareAlertmanagerConfigs(plan.alertmanagerOutput!.expected, 'built.yml', built)).toEqual([]);
    // Against the raw input, only the parts the normalisations touch differ: secrets, templates, the rule's name.
    const raw = compareAlertmanagerConfigs(parse(await readFile(CONFIG, 'utf8')), 'built.yml', built);
    expect(raw.map((d) => d.split(':')[0]).sort()).toEqual([
      'global',
      'inhibit rule 1',
      'inhibit rule critical-mutes-warning-info',
      'receiver audit-webhook',
      'receiver oncall-pager',
      'receiver storefront-email',
      'receiver storefront-slack',
      'templates',
    ]);
    expect(report.normalisations.map((n) => n.what)).toEqual(
      expect.arrayContaining([
        '8 inline secrets written as *_file references (see the secrets listed)',
        'inhibit_rules[0] named critical-mutes-warning-info',
        'route.routes[1]: match/match_re written as matchers',
        'templates: templates/*.tmpl copied to alertmanager/templates/; the built config lists templates/shop.tmpl',
      ]),
    );
  });

  test('amtool check-config accepts the built file', async () => {
    const { stdout } = await run(toolPath('amtool', REPO), ['check-config', 'alertmanager.yml'], {
      cwd: path.join(org.root, 'dist/alertmanager'),
    });
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain(' - 7 receivers');
  });

  test('no secret is written anywhere; the report says which file each goes in', async () => {
    const written = await Promise.all(
      report.written.map((file) => readFile(path.join(org.root, file), 'utf8')),
    );
    const dist = path.join(org.root, 'dist/alertmanager');
    const builtFiles = await Promise.all(
      (await readdir(dist, { recursive: true }))
        .map(String)
        .filter((f) => f.includes('.'))
        .map((f) => readFile(path.join(dist, f), 'utf8')),
    );
    for (const text of [...written, ...builtFiles, output]) {
      for (const value of SECRETS) expect(text).not.toContain(value);
    }
    expect(report.secrets.map((s) => `${s.field} → ${s.file}`)).toEqual([
      'global.slack_api_url → /etc/alertmanager/secrets/global-slack-api-url',
      'global.smtp_auth_password → /etc/alertmanager/secrets/global-smtp-auth-password',
      'receiver oncall-pager pagerduty_configs[0].routing_key → /etc/alertmanager/secrets/oncall-pager-pagerduty-routing-key',
      'receiver oncall-pager pagerduty_configs[0].http_config.authorization.credentials → /etc/alertmanager/secrets/oncall-pager-pagerduty-http-config-authorization-credentials',
      'receiver storefront-slack slack_configs[0].api_url → /etc/alertmanager/secrets/storefront-slack-slack-api-url',
      'receiver storefront-email email_configs[0].auth_password → /etc/alertmanager/secrets/storefront-email-email-auth-password',
      'receiver audit-webhook webhook_configs[0].url → /etc/alertmanager/secrets/audit-webhook-webhook-url',
      'receiver audit-webhook webhook_configs[0].http_config.basic_auth.password → /etc/alertmanager/secrets/audit-webhook-webhook-http-config-basic-auth-password',
    ]);
    expect(report.secrets[0]!.input).toMatch(/alertmanager\.yml:4$/);
    const document = parse(built);
    expect(document.global.slack_api_url_file).toBe('/etc/alertmanager/secrets/global-slack-api-url');
    const payments = document.receivers.find((r: { name: string }) => r.name === 'payments-pager');
    expect(payments.pagerduty_configs[0].routing_key_file).toBe('/run/secrets/payments-routing-key');
  });

  test('the module reads like builder code, typechecks and passes biome', async () => {
    const module = await readFile(path.join(org.root, 'alertmanager/config.ts'), 'utf8');
    for (const line of [
      "export const oncallPager = receiver('oncall-pager').pagerduty({",
      "routingKey: secret.file('/etc/alertmanager/secrets/oncall-pager-pagerduty-routing-key'),",
      "routingKey: secret.file('/run/secrets/payments-routing-key'),",
      "export const nightShift = timeInterval('night-shift', [",
      'export const config = alertmanager<ImportedAlertLabels>()',
      "readonly severity?: 'critical' | 'info' | 'warning';",
      '.defaultReceiver(teamDefault)',
      ".where('severity', 'critical')",
      ".where('service', ['checkout', 'payments'])",
      ".whereMatches('severity', 'warn.*')",
      ".whereNot('env', 'staging')",
      '.muteDuring(nightShift)',
      '.continue()',
      '.receiver(auditWebhook)',
      ".inhibit('critical-mutes-warning-info', (rule) =>",
      "readFileSync(new URL('./templates/shop.tmpl', import.meta.url), 'utf8')",
    ]) {
      expect(module).toContain(line);
    }
    await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], {
      cwd: org.root,
    });
    await run(
      process.execPath,
      [path.join(REPO, 'node_modules/@biomejs/biome/bin/biome'), 'check', 'alertmanager/config.ts'],
      { cwd: org.root },
    );
  }, 120_000);

  test('fields the builders do not model are kept verbatim and listed', () => {
    expect(
      report.passthrough.filter((p) => p.module === 'alertmanager/config.ts').map((p) => p.item),
    ).toEqual([
      'global.http_config',
      'receiver oncall-pager pagerduty_configs[0].http_config',
      'receiver payments-pager pagerduty_configs[0].links',
      'receiver storefront-slack slack_configs[0].actions',
      'receiver audit-webhook webhook_configs[0].http_config',
    ]);
    const document = parse(built);
    expect(document.global.http_config).toEqual({ follow_redirects: true });
    const slack = document.receivers.find((r: { name: string }) => r.name === 'storefront-slack');
    expect(slack.slack_configs[0].actions[0].text).toBe('Runbook');
  });
});

test('an organisation that has an Alertmanager config: refused without --force, replaced with it', async () => {
  const org = await scratchOrganisation();
  try {
    const before = await readFile(path.join(org.root, 'alertmanager/config.ts'), 'utf8');
    const refused = await o11y(org.root, 'import', CONFIG);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "the organisation's Alertmanager config is already defined in alertmanager/config.ts; nothing was written",
    );
    expect(refused.stderr).toContain('import again with --force to replace alertmanager/config.ts');
    expect(await readFile(path.join(org.root, 'alertmanager/config.ts'), 'utf8')).toBe(before);
    const forced = await o11y(org.root, 'import', CONFIG, '--force', '--dry-run');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('--- alertmanager/config.ts\n// Imported by o11y import from');
    expect(forced.stdout).toContain(
      'alertmanager/tests.ts: imports alertmanager/config.ts, which the import replaced: update it to what the imported config exports',
    );
  } finally {
    await org.remove();
  }
}, 120_000);

test('the comparison sees a changed matcher, a changed duration and a missing receiver', () => {
  const input = {
    route: {
      receiver: 'a',
      group_wait: '60s',
      routes: [{ match: { team: 'x' }, receiver: 'b' }],
    },
    receivers: [{ name: 'a' }, { name: 'b' }],
  };
  const same = `route:\n  receiver: a\n  group_wait: 1m\n  routes:\n    - matchers: ['team="x"']\n      receiver: b\nreceivers: [{ name: b }, { name: a }]\n`;
  expect(compareAlertmanagerConfigs(input, 'built.yml', same)).toEqual([]);
  const changed = `route:\n  receiver: a\n  group_wait: 2m\n  routes:\n    - matchers: ['team="y"']\n      receiver: b\nreceivers: [{ name: a }]\n`;
  expect(compareAlertmanagerConfigs(input, 'built.yml', changed).map((d) => d.split('\n')[0])).toEqual([
    'route: differs',
    'route.routes[0]: differs',
    'receiver b: missing from built.yml',
  ]);
});

test('matchers are read in every spelling Alertmanager accepts', () => {
  expect(parseMatchers('severity = info')).toEqual([{ name: 'severity', operator: '=', value: 'info' }]);
  expect(parseMatchers('{team="a\\"b", service=~"api|web"}')).toEqual([
    { name: 'team', operator: '=', value: 'a"b' },
    { name: 'service', operator: '=~', value: 'api|web' },
  ]);
  expect(parseMatchers('env!~staging.*')).toEqual([{ name: 'env', operator: '!~', value: 'staging.*' }]);
  expect(parseMatchers('not a matcher')).toBeUndefined();
});

describe('an alertmanager.yml the import cannot take stops it at the line, saying what to do', () => {
  const cases = [
    {
      what: 'a secret where no _file field can take it',
      yaml: `route: { receiver: chat }\nreceivers:\n  - name: chat\n    telegram_configs:\n      - chat_id: 1\n        message: 'see https://example.org/hook?token=T0PSECRETVALUE'\n`,
      error:
        'alertmanager.yml:6: receiver chat telegram_configs[0].message looks like a URL with a token in its query, and o11y writes no secret into code',
    },
    {
      what: 'a route naming a receiver that is not defined',
      yaml: 'route:\n  receiver: chat\n  routes:\n    - receiver: nobody\nreceivers:\n  - name: chat\n',
      error: 'alertmanager.yml:4: route.routes[0].receiver: no nobody is defined',
    },
    {
      what: 'an inhibit rule that matches every alert',
      yaml: 'route: { receiver: chat }\nreceivers: [{ name: chat }]\ninhibit_rules:\n  - target_matchers: [severity="warning"]\n',
      error: 'alertmanager.yml:4: inhibit_rules[0] has no source matchers, so it matches every alert',
    },
  ];
  test.each(cases)('$what', async ({ yaml, error }) => {
    const failure = await planAlone(yaml).catch((e: Error) => e);
    expect((failure as Error).message).toBe(error);
  });
});

/** Plans the import of one alertmanager.yml into an empty organisation. */
async function planAlone(yaml: string) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'o11y-import-am-'));
  try {
    await writeFile(path.join(root, 'alertmanager.yml'), yaml);
    await writeFile(path.join(root, 'biome.json'), await readFile(path.join(REPO, 'biome.json')));
    return await planImport({ root, inputs: ['alertmanager.yml'] });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test('secrets in settings the builders do not model become their _file fields too', async () => {
  const plan = await planAlone(`global:
  victorops_api_key: VictorOpsKey0042
route: { receiver: pager }
receivers:
  - name: pager
    pagerduty_configs:
      - service_key: PagerServiceKey0042
        http_config: { bearer_token: PagerBearer0042 }
`);
  const module = plan.files.find((f) => f.path === 'alertmanager/config.ts')!.content;
  expect(module).toContain("victorops_api_key_file: '/etc/alertmanager/secrets/global-victorops-api-key'");
  expect(module).toContain("service_key_file: '/etc/alertmanager/secrets/pager-pagerduty-1-service-key'");
  expect(module).toContain('bearer_token_file:');
  expect(module).not.toMatch(/0042/);
  expect(plan.report.secrets.map((s) => s.field)).toEqual([
    'global.victorops_api_key',
    'receiver pager pagerduty_configs[0].service_key',
    'receiver pager pagerduty_configs[0].http_config.bearer_token',
  ]);
});
