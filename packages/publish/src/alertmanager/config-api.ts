import path from 'node:path';
import { DIST, O11yError, stableStringify } from '@o11y/core';
import { parse, parseDocument, stringify } from 'yaml';
import { type DistTree, filesUnder, sourceOf } from '../built/tree.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { type TenantEndpoint, tenantClient } from '../http/tenant.ts';

/** Cortex's and Mimir's per-tenant Alertmanager configuration API. */
const API = '/api/v1/alerts';

export interface AlertmanagerConfigApiOptions extends TenantEndpoint {
  readonly tree: DistTree;
  readonly dryRun?: boolean;
}

export interface AlertmanagerConfigApiResult {
  /** Whether the tenant's configuration differed from the build. */
  readonly changed: boolean;
  /** Requests that changed it (0 on a dry run or when nothing differed). */
  readonly writes: number;
}

/** What the API stores per tenant: the configuration and its templates by file name. */
interface UserConfig {
  alertmanager_config: string;
  template_files: Record<string, string>;
}

/**
 * The build as the API takes it. The API keeps a tenant's templates by bare file name (it refuses a
 * path), so the configuration's `templates:` entries are rewritten to those names.
 */
export function userConfigOf(tree: DistTree): UserConfig {
  const content = tree.files.get(DIST.alertmanager.config);
  if (content === undefined) {
    throw new O11yError(`the build has no dist/${DIST.alertmanager.config}`, {
      id: 'publish/alertmanager-missing',
      hint: 'define an Alertmanager config under alertmanager/ and run `npm run o11y -- build`',
    });
  }
  const document = parseDocument(content);
  if (document.errors.length > 0) {
    throw new O11yError(
      `dist/${DIST.alertmanager.config} is not valid YAML: ${document.errors[0]!.message}`,
      {
        source: sourceOf(tree, DIST.alertmanager.config),
        id: 'publish/alertmanager-yaml',
      },
    );
  }
  const templates = document.get('templates');
  if (templates !== undefined) {
    const names = (parse(content) as { templates?: unknown[] }).templates ?? [];
    document.set(
      'templates',
      names.map((name) => path.posix.basename(String(name))),
    );
  }
  const template_files: Record<string, string> = {};
  for (const file of filesUnder(tree, DIST.alertmanager.templatesDir, [''])) {
    template_files[path.posix.basename(file)] = tree.files.get(file)!;
  }
  return { alertmanager_config: templates === undefined ? content : document.toString(), template_files };
}

const same = (a: UserConfig, b: UserConfig) => stableStringify(a) === stableStringify(b);

function refusal(response: HttpResponse, what: string, client: HttpClient, tree: DistTree) {
  const text = client.redact(response.text.trim().slice(0, 400));
  return new O11yError(`${what}: Alertmanager answered ${response.status}: ${text}`, {
    id: `publish/alertmanager-${response.status}`,
    ...(response.status === 400 && { source: sourceOf(tree, DIST.alertmanager.config) }),
    hint:
      response.status === 401 || response.status === 403
        ? 'check the tenant (--tenant / X-Scope-OrgID) and the token'
        : /_file .*not allowed/.test(text)
          ? "a multi-tenant Alertmanager reads no files of its host: define the secret with secret.env('VARIABLE') and publish a config rendered with renderDeployable (@o11y/alertmanager), which carries its value"
          : response.status === 404
            ? 'check --alertmanager-url: Cortex and Mimir serve the configuration API at /api/v1/alerts'
            : 'fix the Alertmanager definition at this line; `npm run o11y -- build` checks it with amtool',
  });
}

async function current(client: HttpClient, tree: DistTree): Promise<UserConfig | undefined> {
  const response = await client.request('GET', API);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw refusal(response, 'reading the configuration', client, tree);
  const parsed = (parse(response.text) ?? {}) as Partial<UserConfig>;
  return {
    alertmanager_config: parsed.alertmanager_config ?? '',
    template_files: parsed.template_files ?? {},
  };
}

/**
 * Publish the Alertmanager configuration and its templates to a Cortex or Mimir tenant
 * (`POST /api/v1/alerts`), only when they differ from what the tenant has; then read it back.
 */
export async function publishAlertmanagerConfigApi(
  options: AlertmanagerConfigApiOptions,
): Promise<AlertmanagerConfigApiResult> {
  const client = tenantClient(options);
  const desired = userConfigOf(options.tree);
  const before = await current(client, options.tree);
  if (before && same(before, desired)) return { changed: false, writes: 0 };
  if (options.dryRun) return { changed: true, writes: 0 };
  const response = await client.request('POST', API, { body: stringify(desired), contentType: 'yaml' });
  if (response.status !== 201 && response.status !== 200)
    throw refusal(response, 'publishing the configuration', client, options.tree);
  const after = await current(client, options.tree);
  if (!after || !same(after, desired)) {
    throw new O11yError('Alertmanager accepted the configuration but reads back a different one', {
      id: 'publish/alertmanager-verify',
      hint: 'another writer may be changing this tenant at the same time; publish again',
    });
  }
  return { changed: true, writes: 1 };
}
