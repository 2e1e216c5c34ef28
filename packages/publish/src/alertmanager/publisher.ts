import path from 'node:path';
import { HttpClient } from '../http/client.ts';
import { requiredString } from '../options.ts';
import type { Publisher, PublishPlan } from '../publisher.ts';
import { type AlertmanagerPlan, applyAlertmanager, planAlertmanager, verifyAlertmanager } from './publish.ts';

interface AlertmanagerPublishPlan extends PublishPlan {
  readonly files: AlertmanagerPlan;
  readonly client: HttpClient;
  readonly configFile: string;
}

/** alertmanager.yml and its templates beside the running config, reloaded and verified. */
export const alertmanagerPublisher: Publisher<AlertmanagerPublishPlan> = {
  name: 'alertmanager',
  summary: 'the Alertmanager config and its templates',
  description: `Write dist/alertmanager/ beside the running config (--config-file), POST /-/reload (needs
--web.enable-lifecycle), check /api/v2/status runs the new receivers and routes; roll back the files
otherwise.`,
  options: {
    'alertmanager-url': { type: 'string', value: '<url>', description: 'Alertmanager', url: true },
    'config-file': {
      type: 'string',
      value: '<path>',
      description: 'the file Alertmanager runs (--config.file)',
    },
  },
  async plan(context) {
    const client = new HttpClient({
      baseUrl: requiredString(context, 'alertmanager-url'),
      deadline: context.deadline,
      log: context.log,
    });
    const configFile = path.resolve(context.root, requiredString(context, 'config-file'));
    const files = await planAlertmanager({ tree: context.tree, configFile });
    return {
      files,
      client,
      configFile,
      lines: files.changed
        ? [`  write     ${[...files.files.keys()].join(', ')} in ${files.dir}, then reload Alertmanager`]
        : ['  Alertmanager config already up to date: nothing to write, no reload'],
      changes: files.changed ? files.files.size : 0,
      refusals: [],
      data: { changed: files.changed, files: [...files.files.keys()] },
    };
  },
  async apply(plan) {
    await applyAlertmanager(plan.files, plan);
    return {
      summary: 'Alertmanager config written, reloaded and verified',
      data: { written: plan.files.files.size },
    };
  },
  verify: (plan) => verifyAlertmanager(plan.files, plan),
};
