import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningServer, startAlertmanager, startPrometheus } from '@o11y/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAlertmanager } from '../src/alertmanager/publish.ts';
import { treeFromFiles } from '../src/built/tree.ts';
import { HttpClient, jsonOf } from '../src/http/client.ts';
import { publishPrometheusRules } from '../src/rules/prometheus.ts';

const GOOD_RULES = `groups:
  - name: api-availability
    interval: 1s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: ApiDown
        expr: sum by (job) (up) == 0
        for: 5m
`;
const MORE_RULES = `groups:
  - name: api-latency
    interval: 1s
    rules:
      - record: job:scrape_duration:max
        expr: max by (job) (scrape_duration_seconds)
`;
const BROKEN_RULES = `groups:
  - name: api-availability
    rules:
      - record: job:up:sum
        expr: sum by (job) (up
`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'o11y-publish-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('publish rules to a real Prometheus', () => {
  let prometheus: RunningServer;
  let rulesDir: string;
  let client: HttpClient;

  beforeAll(async () => {
    rulesDir = path.join(work, 'rules');
    await mkdir(rulesDir, { recursive: true });
    await writeFile(path.join(rulesDir, 'kept-by-hand.yml'), 'groups: []\n');
    const config = path.join(work, 'prometheus.yml');
    await writeFile(config, `global:\n  evaluation_interval: 1s\nrule_files:\n  - ${rulesDir}/*.yml\n`);
    prometheus = await startPrometheus(config, path.join(work, 'prometheus-data'));
    client = new HttpClient({ baseUrl: prometheus.url, retry: { baseDelayMs: 10 } });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const groups = async () =>
    (
      jsonOf(await client.request('GET', '/api/v1/rules')) as {
        data: { groups: Array<{ name: string; file: string }> };
      }
    ).data.groups
      .map((g) => `${path.basename(g.file)}:${g.name}`)
      .sort();

  it('writes the files, reloads and verifies every group loaded and healthy', async () => {
    const tree = treeFromFiles({
      'prometheus/rules/api.yml': GOOD_RULES,
      'prometheus/rules/latency.yml': MORE_RULES,
    });
    const result = await publishPrometheusRules({ tree, rulesDir, client, waitForEvaluationMs: 10_000 });
    expect(result).toMatchObject({ changed: true, written: ['api.yml', 'latency.yml'], groups: 2 });
    expect(await groups()).toEqual(['api.yml:api-availability', 'latency.yml:api-latency']);
    expect(await readFile(path.join(rulesDir, 'api.yml'), 'utf8')).toBe(GOOD_RULES);
  });

  it('changes nothing when the files are already there', async () => {
    const tree = treeFromFiles({
      'prometheus/rules/api.yml': GOOD_RULES,
      'prometheus/rules/latency.yml': MORE_RULES,
    });
    const result = await publishPrometheusRules({ tree, rulesDir, client });
    expect(result.changed).toBe(false);
  });

  it('rolls back to the previous files when Prometheus rejects a broken rule file', async () => {
    const tree = treeFromFiles({ 'prometheus/rules/api.yml': BROKEN_RULES });
    await expect(publishPrometheusRules({ tree, rulesDir, client })).rejects.toThrow(
      /Prometheus refused the new files on reload \(HTTP 500\): failed to reload config.*\(rolled back to the previous files\)/s,
    );
    expect(await readFile(path.join(rulesDir, 'api.yml'), 'utf8')).toBe(GOOD_RULES);
    expect(await readFile(path.join(rulesDir, 'latency.yml'), 'utf8')).toBe(MORE_RULES);
    expect(await groups()).toEqual(['api.yml:api-availability', 'latency.yml:api-latency']);
  });

  it('rolls back when a rule loads but fails to evaluate', async () => {
    // Valid syntax, but the regular expression is only compiled when the rule runs: health "err".
    const failing = `groups:
  - name: api-availability
    interval: 1s
    rules:
      - record: job:bad
        expr: label_replace(vector(1), "a", "$1", "b", "(")
`;
    const tree = treeFromFiles({
      'prometheus/rules/api.yml': failing,
      'prometheus/rules/latency.yml': MORE_RULES,
    });
    await expect(
      publishPrometheusRules({ tree, rulesDir, client, waitForEvaluationMs: 10_000 }),
    ).rejects.toThrow(
      /unhealthy rules after reload: api\.yml api-availability\/job:bad: .*regular expression/,
    );
    expect(await readFile(path.join(rulesDir, 'api.yml'), 'utf8')).toBe(GOOD_RULES);
  });

  it('removes only files it wrote that the build no longer has', async () => {
    const tree = treeFromFiles({ 'prometheus/rules/api.yml': GOOD_RULES });
    const result = await publishPrometheusRules({ tree, rulesDir, client });
    expect(result.removed).toEqual(['latency.yml']);
    expect((await readdir(rulesDir)).sort()).toEqual(['.o11y-rules.json', 'api.yml', 'kept-by-hand.yml']);
    expect(await groups()).toEqual(['api.yml:api-availability']);
  });
});

const AM_CONFIG = (receiver: string) => `route:
  receiver: ${receiver}
  group_by: [alertname]
  routes:
    - receiver: pager
      matchers: ['severity="page"']
receivers:
  - name: ${receiver}
  - name: pager
`;

describe('publish to a real Alertmanager', () => {
  let alertmanager: RunningServer;
  let configFile: string;
  let client: HttpClient;

  beforeAll(async () => {
    const dir = path.join(work, 'alertmanager');
    await mkdir(dir, { recursive: true });
    configFile = path.join(dir, 'alertmanager.yml');
    await writeFile(configFile, AM_CONFIG('default'));
    alertmanager = await startAlertmanager(configFile, path.join(work, 'alertmanager-data'));
    client = new HttpClient({ baseUrl: alertmanager.url, retry: { baseDelayMs: 10 } });
  });
  afterAll(async () => {
    await alertmanager?.stop();
  });

  const runningReceivers = async () => {
    const status = jsonOf(await client.request('GET', '/api/v2/status')) as { config: { original: string } };
    return status.config.original;
  };

  it('writes the config and its templates, reloads and verifies the running receivers', async () => {
    const tree = treeFromFiles({
      'alertmanager/alertmanager.yml': `${AM_CONFIG('slack-platform')}templates:\n  - templates/*.tmpl\n`,
      'alertmanager/templates/slack.tmpl':
        '{{ define "slack.title" }}{{ .CommonLabels.alertname }}{{ end }}\n',
    });
    expect(await publishAlertmanager({ tree, configFile, client })).toEqual({ changed: true });
    expect(await runningReceivers()).toContain('slack-platform');
    expect(await readFile(path.join(path.dirname(configFile), 'templates/slack.tmpl'), 'utf8')).toContain(
      'slack.title',
    );
    expect(await publishAlertmanager({ tree, configFile, client })).toEqual({ changed: false });
  });

  it('rolls back when Alertmanager rejects the config', async () => {
    const before = await readFile(configFile, 'utf8');
    const tree = treeFromFiles({
      'alertmanager/alertmanager.yml': 'route:\n  receiver: nobody\nreceivers:\n  - name: someone\n',
    });
    await expect(publishAlertmanager({ tree, configFile, client })).rejects.toThrow(
      /Alertmanager refused the new files on reload \(HTTP 500\): .*nobody.*rolled back/s,
    );
    expect(await readFile(configFile, 'utf8')).toBe(before);
    expect(await runningReceivers()).toContain('slack-platform');
  });
});
