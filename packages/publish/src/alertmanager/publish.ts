import path from 'node:path';
import { compareCodePoints, O11yError } from '@o11y/core';
import { parse } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../dist/tree.ts';
import { swapReloadVerify } from '../files/reload.ts';
import { type HttpClient, jsonOf } from '../http/client.ts';

export const ALERTMANAGER_CONFIG = 'alertmanager/alertmanager.yml';
export const TEMPLATES_DIR = 'alertmanager/templates';

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

/**
 * Publish the Alertmanager configuration: write `alertmanager.yml` (and `templates/`) atomically next
 * to the running config, `POST /-/reload`, then check through `/api/v2/status` that Alertmanager runs
 * the new receivers and routing tree. On failure the previous files are restored and reloaded.
 */
export async function publishAlertmanager(
  options: AlertmanagerPublishOptions,
): Promise<{ changed: boolean }> {
  const content = options.tree.files.get(ALERTMANAGER_CONFIG);
  if (content === undefined) {
    throw new O11yError(`the build has no dist/${ALERTMANAGER_CONFIG}`, {
      id: 'publish/alertmanager-missing',
      hint: 'define an Alertmanager config under alertmanager/ and run `npm run o11y -- build`',
    });
  }
  let expected: ConfigShape;
  try {
    expected = parse(content) as ConfigShape;
  } catch (error) {
    throw new O11yError(`dist/${ALERTMANAGER_CONFIG} is not valid YAML: ${(error as Error).message}`, {
      source: sourceOf(options.tree, ALERTMANAGER_CONFIG),
      id: 'publish/alertmanager-yaml',
    });
  }
  const dir = path.dirname(options.configFile);
  const files = new Map<string, string>([[path.basename(options.configFile), content]]);
  for (const template of filesUnder(options.tree, TEMPLATES_DIR, [''])) {
    files.set(`templates/${template.slice(TEMPLATES_DIR.length + 1)}`, options.tree.files.get(template)!);
  }
  return swapReloadVerify({
    dir,
    files,
    remove: [],
    client: options.client,
    product: 'Alertmanager',
    dryRun: options.dryRun,
    verify: async () => {
      const response = await options.client.request('GET', '/api/v2/status');
      const status = jsonOf(response) as { config?: { original?: string } } | undefined;
      const original = status?.config?.original;
      if (response.status !== 200 || typeof original !== 'string') {
        throw new O11yError(
          `Alertmanager /api/v2/status answered ${response.status} without its configuration`,
          {
            id: 'publish/alertmanager-verify',
          },
        );
      }
      if (fingerprint(parse(original) as ConfigShape) !== fingerprint(expected)) {
        throw new O11yError('Alertmanager reloaded but does not run the published receivers and routes', {
          id: 'publish/alertmanager-verify',
          hint: `check that Alertmanager's --config.file is ${options.configFile}`,
        });
      }
    },
  });
}
