import path from 'node:path';
import { compareCodePoints, DIST, O11yError } from '@o11y/core';
import { parse } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import { swapReloadVerify } from '../files/reload.ts';
import { snapshotFiles, unchanged } from '../files/replace.ts';
import { type HttpClient, jsonOf } from '../http/client.ts';

export interface AlertmanagerPublishOptions {
  readonly tree: DistTree;
  /** The file Alertmanager was started with (`--config.file`); templates go beside it. */
  readonly configFile: string;
  readonly client: HttpClient;
  readonly dryRun?: boolean;
}

interface RouteShape {
  receiver?: string;
  routes?: RouteShape[];
}

interface ConfigShape {
  route?: RouteShape;
  receivers?: Array<{ name?: string }>;
}

/** What identifies a loaded configuration: its receivers and the receivers along the routing tree. */
function fingerprint(config: ConfigShape | undefined): string {
  const receivers = (config?.receivers ?? []).map((r) => String(r.name)).sort(compareCodePoints);
  const walk = (route: RouteShape | undefined): string =>
    route ? `${route.receiver ?? ''}(${(route.routes ?? []).map(walk).join(',')})` : '';
  return `${receivers.join(',')}|${walk(config?.route)}`;
}

/** The files a publish writes beside the running config, and the receivers and routes it expects. */
export interface AlertmanagerPlan {
  readonly dir: string;
  readonly files: ReadonlyMap<string, string>;
  readonly expected: ConfigShape;
  /** False when the files already hold exactly this. */
  readonly changed: boolean;
}

/** Compares the build's `alertmanager.yml` and templates with the files beside the running config. */
export async function planAlertmanager(
  options: Pick<AlertmanagerPublishOptions, 'tree' | 'configFile'>,
): Promise<AlertmanagerPlan> {
  const content = options.tree.files.get(DIST.alertmanager.config);
  if (content === undefined) {
    throw new O11yError(`the build has no dist/${DIST.alertmanager.config}`, {
      id: 'publish/alertmanager-missing',
      hint: 'define an Alertmanager config under alertmanager/ and run `npm run o11y -- build`',
    });
  }
  let expected: ConfigShape;
  try {
    expected = parse(content) as ConfigShape;
  } catch (error) {
    throw new O11yError(`dist/${DIST.alertmanager.config} is not valid YAML: ${(error as Error).message}`, {
      source: sourceOf(options.tree, DIST.alertmanager.config),
      id: 'publish/alertmanager-yaml',
    });
  }
  const dir = path.dirname(options.configFile);
  const files = new Map<string, string>([[path.basename(options.configFile), content]]);
  for (const template of filesUnder(options.tree, DIST.alertmanager.templatesDir, [''])) {
    files.set(
      `templates/${template.slice(DIST.alertmanager.templatesDir.length + 1)}`,
      options.tree.files.get(template)!,
    );
  }
  const current = await snapshotFiles(dir, files.keys());
  return { dir, files, expected, changed: !unchanged(current, files, []) };
}

/**
 * Write the planned files atomically, `POST /-/reload` and verify; on failure the previous files are
 * restored and reloaded.
 */
export async function applyAlertmanager(
  plan: AlertmanagerPlan,
  options: Pick<AlertmanagerPublishOptions, 'client' | 'configFile'>,
): Promise<void> {
  await swapReloadVerify({
    dir: plan.dir,
    files: plan.files,
    remove: [],
    client: options.client,
    product: 'Alertmanager',
    verify: () => verifyAlertmanager(plan, options),
  });
}

/** Through `/api/v2/status`: Alertmanager runs the planned receivers and routing tree. */
export async function verifyAlertmanager(
  plan: AlertmanagerPlan,
  options: Pick<AlertmanagerPublishOptions, 'client' | 'configFile'>,
): Promise<void> {
  const response = await options.client.request('GET', '/api/v2/status');
  const status = jsonOf(response) as { config?: { original?: string } } | undefined;
  const original = status?.config?.original;
  if (response.status !== 200 || typeof original !== 'string') {
    throw new O11yError(`Alertmanager /api/v2/status answered ${response.status} without its configuration`, {
      id: 'publish/alertmanager-verify',
    });
  }
  if (fingerprint(parse(original) as ConfigShape) !== fingerprint(plan.expected)) {
    throw new O11yError('Alertmanager reloaded but does not run the published receivers and routes', {
      id: 'publish/alertmanager-verify',
      hint: `check that Alertmanager's --config.file is ${options.configFile}`,
    });
  }
}

/**
 * Publish the Alertmanager configuration: write `alertmanager.yml` (and `templates/`) atomically next
 * to the running config, `POST /-/reload`, then check through `/api/v2/status` that Alertmanager runs
 * the new receivers and routing tree. On failure the previous files are restored and reloaded.
 */
export async function publishAlertmanager(
  options: AlertmanagerPublishOptions,
): Promise<{ changed: boolean }> {
  const plan = await planAlertmanager(options);
  if (plan.changed && !options.dryRun) await applyAlertmanager(plan, options);
  return { changed: plan.changed };
}
