import path from 'node:path';
import { O11yError } from '@o11y/core';
import { HttpClient } from '../http/client.ts';
import type { TenantEndpoint } from '../http/tenant.ts';
import { choice, optionalString, requiredString, secretFromEnv } from '../options.ts';
import type { PublishContext, Publisher, PublishPlan } from '../publisher.ts';
import { RULER_APIS, type RulerApi } from '../rules/ruler.ts';
import { publishAlertmanagerConfigApi } from './config-api.ts';
import { type AlertmanagerPlan, applyAlertmanager, planAlertmanager, verifyAlertmanager } from './publish.ts';

/** A plain Alertmanager (files beside its config, then a reload) or a Mimir/Cortex tenant's config API. */
type AlertmanagerPublishPlan = PublishPlan &
  (
    | {
        readonly to: 'files';
        readonly files: AlertmanagerPlan;
        readonly client: HttpClient;
        readonly configFile: string;
      }
    | { readonly to: 'config-api'; readonly endpoint: TenantEndpoint }
  );

async function planFiles(context: PublishContext, url: string): Promise<AlertmanagerPublishPlan> {
  const client = new HttpClient({ baseUrl: url, deadline: context.deadline, log: context.log });
  const configFile = path.resolve(context.root, requiredString(context, 'config-file'));
  const files = await planAlertmanager({ tree: context.tree, configFile });
  return {
    to: 'files',
    files,
    client,
    configFile,
    lines: files.changed
      ? [`  write     ${[...files.files.keys()].join(', ')} in ${files.dir}, then reload Alertmanager`]
      : ['  Alertmanager config already up to date: nothing to write, no reload'],
    changes: files.changed ? files.files.size : 0,
    refusals: [],
    data: { to: 'files', changed: files.changed, files: [...files.files.keys()] },
  };
}

async function planConfigApi(
  context: PublishContext,
  url: string,
  api: RulerApi,
): Promise<AlertmanagerPublishPlan> {
  const token = secretFromEnv(context, 'MIMIR_TOKEN');
  const tenant = optionalString(context, 'tenant');
  const endpoint: TenantEndpoint = {
    url,
    deadline: context.deadline,
    log: context.log,
    ...(tenant !== undefined && { tenant }),
    ...(token && { token }),
  };
  const { changed } = await publishAlertmanagerConfigApi({ ...endpoint, tree: context.tree, dryRun: true });
  return {
    to: 'config-api',
    endpoint,
    lines: changed
      ? [`  post      alertmanager.yml and its templates to the ${api} Alertmanager config API`]
      : ['  the tenant already has this Alertmanager config: nothing to write'],
    changes: changed ? 1 : 0,
    refusals: [],
    data: { to: 'config-api', api, changed },
  };
}

/** alertmanager.yml and its templates: beside a running Alertmanager's config, or to a Mimir/Cortex tenant. */
export const alertmanagerPublisher: Publisher<AlertmanagerPublishPlan> = {
  name: 'alertmanager',
  summary: 'the Alertmanager config and its templates',
  description: `With --config-file: write dist/alertmanager/ beside the running config, POST /-/reload (needs
--web.enable-lifecycle), check /api/v2/status runs the new receivers and routes; roll back the files
otherwise.
With --api mimir|cortex: POST the config and its templates to the tenant's /api/v1/alerts when they
differ, then read it back. Token (optional) from MIMIR_TOKEN or MIMIR_TOKEN_FILE.`,
  options: {
    'alertmanager-url': { type: 'string', value: '<url>', description: 'Alertmanager', url: true },
    'config-file': {
      type: 'string',
      value: '<path>',
      description: 'the file Alertmanager runs (--config.file)',
    },
    api: {
      type: 'string',
      value: 'mimir|cortex',
      description: "instead of --config-file: the multi-tenant Alertmanager's config API",
    },
    tenant: { type: 'string', value: '<id>', description: 'with --api: the tenant (X-Scope-OrgID)' },
  },
  plan(context) {
    const url = requiredString(context, 'alertmanager-url');
    if (optionalString(context, 'api') === undefined) return planFiles(context, url);
    return planConfigApi(context, url, choice(context, 'api', RULER_APIS, 'mimir'));
  },
  async apply(plan, context) {
    if (plan.to === 'config-api') {
      await publishAlertmanagerConfigApi({ ...plan.endpoint, tree: context.tree });
      return { summary: 'Alertmanager config posted and read back', data: { written: 1 } };
    }
    await applyAlertmanager(plan.files, plan);
    return {
      summary: 'Alertmanager config written, reloaded and verified',
      data: { written: plan.files.files.size },
    };
  },
  async verify(plan, context) {
    if (plan.to === 'files') return verifyAlertmanager(plan.files, plan);
    const { changed } = await publishAlertmanagerConfigApi({
      ...plan.endpoint,
      tree: context.tree,
      dryRun: true,
    });
    if (changed) {
      throw new O11yError('the tenant does not hold the Alertmanager config that was published', {
        id: 'publish/alertmanager-verify',
        hint: 'another writer may be changing this tenant at the same time; publish again',
      });
    }
  },
};
