import path from 'node:path';
import type { parseArgs } from 'node:util';
import { formatDiagnostic, O11yError, toDiagnostics } from '@o11y/core';
import {
  type ApiPreference,
  currentCommit,
  formatGrafanaPlan,
  formatRulerPlan,
  HttpClient,
  publishAlertmanager,
  publishAlertmanagerConfigApi,
  publishGrafana,
  publishMessage,
  publishPrometheusRules,
  publishRuler,
  RULER_APIS,
  type RulerApi,
  readDistTree,
  readSecret,
} from '@o11y/publish';
import { parseCommandArgs } from '../args.ts';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.ts';

const HELP = `Usage: o11y publish <grafana|rules|alertmanager> [options]

Publishes what \`o11y build\` wrote into dist/ (or --dist <dir>).

o11y publish grafana --url <grafana-url> [--dry-run] [--force] [--prune]
    Dashboards and their folders. Token from GRAFANA_TOKEN or GRAFANA_TOKEN_FILE (a service account
    with the Editor role). Detects Grafana 12+ /apis (dashboard.grafana.app) or uses the classic /api.
    --api auto|classic|apis   which API to use (default auto)
    --org-id <n>              organisation (default 1); --namespace <ns> for /apis (e.g. stacks-123)
    --dry-run                 print the plan (create / update / unchanged / delete) and change nothing
    --force                   overwrite dashboards edited in Grafana since o11y wrote them
    --prune                   delete dashboards o11y owns that the build no longer defines
    --concurrency <n>         requests in flight (default 8)

o11y publish rules --ruler-url <url> [--api mimir|cortex] [--tenant <id>] [--owned-prefix <p> --prune] [--dry-run]
    Mimir/Cortex ruler: per namespace of dist/mimir/, create/update/delete groups, then read them back;
    a second run writes nothing. --api picks the path (Mimir /prometheus/config/v1/rules, the default;
    Cortex /api/v1/rules); --tenant is sent as X-Scope-OrgID. Token (optional) from MIMIR_TOKEN or
    MIMIR_TOKEN_FILE.
o11y publish rules --prometheus-url <url> --rules-dir <dir> [--wait <seconds>] [--dry-run]
    Plain Prometheus: write dist/prometheus/rules/ into <dir> atomically, POST /-/reload, verify every
    group loaded and is healthy; roll back the files otherwise. Needs --web.enable-lifecycle.

o11y publish alertmanager --alertmanager-url <url> --config-file <path> [--dry-run]
    Write dist/alertmanager/ beside the running config, POST /-/reload, verify /api/v2/status; roll
    back the files otherwise.
o11y publish alertmanager --alertmanager-url <url> --api mimir|cortex [--tenant <id>] [--dry-run]
    Mimir/Cortex Alertmanager: POST the config and its templates to /api/v1/alerts when they differ,
    then read it back. Token (optional) from MIMIR_TOKEN or MIMIR_TOKEN_FILE.

Exit codes: 0 published (or nothing to do), 1 refused or failed, 2 usage error.`;

const OPTIONS = {
  dist: { type: 'string' },
  url: { type: 'string' },
  api: { type: 'string' },
  'org-id': { type: 'string' },
  namespace: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  prune: { type: 'boolean' },
  concurrency: { type: 'string' },
  'ruler-url': { type: 'string' },
  tenant: { type: 'string' },
  'owned-prefix': { type: 'string' },
  'prometheus-url': { type: 'string' },
  'rules-dir': { type: 'string' },
  wait: { type: 'string' },
  'alertmanager-url': { type: 'string' },
  'config-file': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer`);
  return parsed;
}

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${String(name)} is required`);
  return value;
}

async function grafana(values: Values, io: CommandIO, secrets: string[]): Promise<number> {
  const url = required(values, 'url');
  const api = (values.api ?? 'auto') as ApiPreference;
  if (!['auto', 'classic', 'apis'].includes(api)) throw new UsageError('--api must be auto, classic or apis');
  const token = readSecret('GRAFANA_TOKEN');
  if (!token) {
    throw new O11yError('no Grafana token', {
      id: 'publish/grafana-token',
      hint: 'set GRAFANA_TOKEN (or GRAFANA_TOKEN_FILE) to a service-account token with the Editor role',
    });
  }
  secrets.push(token);
  const tree = await readDistTree(path.resolve(io.root, values.dist ?? 'dist'));
  const result = await publishGrafana({
    url,
    token,
    tree,
    api,
    orgId: values['org-id'] === undefined ? undefined : positiveInt(values['org-id'], 'org-id', 1),
    namespace: values.namespace,
    dryRun: values['dry-run'],
    force: values.force,
    prune: values.prune,
    concurrency: positiveInt(values.concurrency, 'concurrency', 8),
    message: publishMessage(currentCommit(io.root)),
  });
  for (const line of formatGrafanaPlan(result.plan)) io.stdout(line);
  const s = result.summary;
  if (s) {
    io.stdout(
      `published: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged, ${s.foldersWritten} folder writes, ${s.retries} retries`,
    );
  } else {
    io.stdout('dry run: nothing was changed');
    if (result.plan.dashboards.some((d) => d.action === 'drift' || d.action === 'foreign'))
      return EXIT.findings;
  }
  return EXIT.ok;
}

/** `--api mimir|cortex` of the ruler and Alertmanager config APIs; Mimir unless said. */
function rulerApi(values: Values): RulerApi {
  const api = values.api ?? 'mimir';
  if (!(RULER_APIS as readonly string[]).includes(api))
    throw new UsageError(`--api must be ${RULER_APIS.join(' or ')}`);
  return api as RulerApi;
}

/** The optional MIMIR_TOKEN, remembered so no message can carry it. */
function mimirToken(secrets: string[]): string | undefined {
  const token = readSecret('MIMIR_TOKEN');
  if (token) secrets.push(token);
  return token;
}

async function rules(values: Values, io: CommandIO, secrets: string[]): Promise<number> {
  const tree = await readDistTree(path.resolve(io.root, values.dist ?? 'dist'));
  if (values['ruler-url']) {
    const { steps, writes } = await publishRuler({
      url: values['ruler-url'],
      api: rulerApi(values),
      tenant: values.tenant,
      token: mimirToken(secrets),
      tree,
      dryRun: values['dry-run'],
      ownedPrefix: values['owned-prefix'],
      prune: values.prune,
    });
    for (const line of formatRulerPlan(steps)) io.stdout(`${line}\n`);
    io.stdout(
      `${values['dry-run'] ? 'dry run: ' : ''}${steps.filter((s) => s.action !== 'unchanged').length} ruler change(s), ${steps.filter((s) => s.action === 'unchanged').length} group(s) unchanged, ${writes} write(s)\n`,
    );
    return EXIT.ok;
  }
  if (values['prometheus-url']) {
    const client = new HttpClient({ baseUrl: values['prometheus-url'], secrets });
    const wait = values.wait === undefined ? 0 : positiveInt(values.wait, 'wait', 0) * 1000;
    const result = await publishPrometheusRules({
      tree,
      rulesDir: path.resolve(required(values, 'rules-dir')),
      client,
      dryRun: values['dry-run'],
      waitForEvaluationMs: wait,
    });
    if (!result.changed) io.stdout('rule files already up to date: nothing written, no reload');
    else if (values['dry-run'])
      io.stdout('dry run: rule files differ; publishing would write them and reload Prometheus');
    else
      io.stdout(
        `wrote ${result.written.length} rule file(s), removed ${result.removed.length}; Prometheus reloaded ${result.groups} group(s), all healthy`,
      );
    return EXIT.ok;
  }
  throw new UsageError('give --ruler-url (Mimir/Cortex) or --prometheus-url with --rules-dir');
}

async function alertmanager(values: Values, io: CommandIO, secrets: string[]): Promise<number> {
  const tree = await readDistTree(path.resolve(io.root, values.dist ?? 'dist'));
  if (values.api !== undefined) {
    // Cortex and Mimir serve the Alertmanager configuration API at the same path.
    rulerApi(values);
    const { changed, writes } = await publishAlertmanagerConfigApi({
      url: required(values, 'alertmanager-url'),
      tenant: values.tenant,
      token: mimirToken(secrets),
      tree,
      dryRun: values['dry-run'],
    });
    io.stdout(
      !changed
        ? 'Alertmanager config already up to date: nothing written\n'
        : values['dry-run']
          ? 'dry run: the config differs; publishing would post it\n'
          : `Alertmanager config posted (${writes} write) and read back\n`,
    );
    return EXIT.ok;
  }
  const client = new HttpClient({ baseUrl: required(values, 'alertmanager-url'), secrets });
  const { changed } = await publishAlertmanager({
    tree,
    configFile: path.resolve(required(values, 'config-file')),
    client,
    dryRun: values['dry-run'],
  });
  io.stdout(
    !changed
      ? 'Alertmanager config already up to date: nothing written, no reload'
      : values['dry-run']
        ? 'dry run: the config differs; publishing would write it and reload Alertmanager'
        : 'Alertmanager config written, reloaded and verified',
  );
  return EXIT.ok;
}

export const command: Command = {
  name: 'publish',
  summary: 'publish the build to Grafana, the Mimir ruler or Prometheus, and Alertmanager',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
    const [target, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    // Every secret read is remembered so no message can carry it, whatever path it takes.
    const secrets: string[] = [];
    const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
    const safeIO: CommandIO = {
      ...io,
      stdout: (t) => io.stdout(redact(t)),
      stderr: (t) => io.stderr(redact(t)),
    };
    try {
      if (target === 'grafana') return await grafana(values, safeIO, secrets);
      if (target === 'rules') return await rules(values, safeIO, secrets);
      if (target === 'alertmanager') return await alertmanager(values, safeIO, secrets);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      for (const diagnostic of toDiagnostics(error)) safeIO.stderr(formatDiagnostic(diagnostic));
      return EXIT.findings;
    }
    throw new UsageError('say what to publish: grafana, rules or alertmanager');
  },
};
