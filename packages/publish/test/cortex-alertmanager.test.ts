import { O11yError } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { publishAlertmanagerConfigApi } from '../src/alertmanager/config-api.ts';
import { treeFromFiles } from '../src/built/tree.ts';
import { useCortex } from './support/cortex.ts';

const CONFIG = `route:
  receiver: team
  group_by: [alertname]
receivers:
  - name: team
    webhook_configs:
      - url: http://127.0.0.1:9/hook
templates:
  - templates/notifications.tmpl
`;
const TEMPLATE = '{{ define "o11y.title" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}\n';
const SOURCE = { file: 'alertmanager/config.ts', line: 48, column: 23 };
const MANIFEST = JSON.stringify({
  artifacts: [
    { path: 'alertmanager/alertmanager.yml', kind: 'alertmanager-config', sha256: '', source: SOURCE },
  ],
});

const cortex = useCortex();

const build = (config: string) =>
  treeFromFiles({
    'manifest.json': MANIFEST,
    'alertmanager/alertmanager.yml': config,
    'alertmanager/templates/notifications.tmpl': TEMPLATE,
  });
const publish = (config: string, dryRun = false) =>
  publishAlertmanagerConfigApi({
    url: cortex().url,
    tree: build(config),
    dryRun,
    retry: { baseDelayMs: 10 },
  });

async function stored(): Promise<{ alertmanager_config: string; template_files: Record<string, string> }> {
  return parse(await (await fetch(`${cortex().url}/api/v1/alerts`)).text());
}

describe("publish the Alertmanager config to Cortex's configuration API", () => {
  it('plans without writing on a dry run', async () => {
    expect(await publish(CONFIG, true)).toEqual({ changed: true, writes: 0 });
    expect((await fetch(`${cortex().url}/api/v1/alerts`)).status).toBe(404);
  });

  it('posts the config with its templates by file name, then writes nothing on the second run', async () => {
    expect(await publish(CONFIG)).toEqual({ changed: true, writes: 1 });
    const tenant = await stored();
    expect(tenant.template_files).toEqual({ 'notifications.tmpl': TEMPLATE });
    expect(parse(tenant.alertmanager_config).templates).toEqual(['notifications.tmpl']);
    expect(parse(tenant.alertmanager_config).receivers).toEqual(parse(CONFIG).receivers);
    expect(await publish(CONFIG)).toEqual({ changed: false, writes: 0 });
  });

  it('restores a config changed through the API', async () => {
    const { templates: _templates, ...withoutTemplates } = parse(CONFIG);
    const edited = stringify({ ...withoutTemplates, route: { receiver: 'team', group_by: ['service'] } });
    const response = await fetch(`${cortex().url}/api/v1/alerts`, {
      method: 'POST',
      body: stringify({ alertmanager_config: edited, template_files: {} }),
    });
    expect(response.status).toBe(201);
    expect(await publish(CONFIG)).toEqual({ changed: true, writes: 1 });
    expect(parse((await stored()).alertmanager_config).route.group_by).toEqual(['alertname']);
  });

  it('reports a config the API refuses at its TypeScript line, saying how to give the secret', async () => {
    const withFileSecret = CONFIG.replace(
      'route:',
      'global:\n  slack_api_url_file: /etc/alertmanager/slack\nroute:',
    );
    const error = await publish(withFileSecret).catch((e) => e);
    expect(error).toBeInstanceOf(O11yError);
    expect(error.message).toMatch(
      /publishing the configuration: Alertmanager answered 400: .*slack_api_url_file is not allowed/,
    );
    expect(error.source).toEqual(SOURCE);
    expect(error.hint).toMatch(/secret\.env/);
    // The tenant keeps the configuration it had.
    expect(parse((await stored()).alertmanager_config).route.group_by).toEqual(['alertname']);
  });
});
