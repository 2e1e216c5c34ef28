import path from 'node:path';
import { UsageError } from '@o11y/core';
import { HttpClient } from '../http/client.ts';
import { choice, flag, optionalString, positiveInt, requiredString, secretFromEnv } from '../options.ts';
import type { PublishContext, Publisher, PublishPlan } from '../publisher.ts';
import {
  applyPrometheusRules,
  type PrometheusRulesPlan,
  planPrometheusRules,
  verifyPrometheusRules,
} from './prometheus.ts';
import {
  applyRulerSteps,
  formatRulerPlan,
  planRuler,
  RULER_APIS,
  type RulerPublishOptions,
  type RulerStep,
  verifyRuler,
} from './ruler.ts';

/** The rules go to a Mimir/Cortex ruler or into the rules directory of a plain Prometheus. */
type RulesPlan = PublishPlan &
  (
    | {
        readonly to: 'ruler';
        readonly steps: readonly RulerStep[];
        readonly ruler: RulerPublishOptions;
      }
    | {
        readonly to: 'prometheus';
        readonly files: PrometheusRulesPlan;
        readonly client: HttpClient;
        readonly rulesDir: string;
        readonly waitMs: number;
      }
  );

function client(context: PublishContext, baseUrl: string): HttpClient {
  return new HttpClient({ baseUrl, deadline: context.deadline, log: context.log });
}

async function planForRuler(context: PublishContext, url: string): Promise<RulesPlan> {
  const token = secretFromEnv(context, 'MIMIR_TOKEN');
  const tenant = optionalString(context, 'tenant');
  const ownedPrefix = optionalString(context, 'owned-prefix');
  const ruler: RulerPublishOptions = {
    url,
    api: choice(context, 'api', RULER_APIS, 'mimir'),
    tree: context.tree,
    deadline: context.deadline,
    log: context.log,
    prune: flag(context, 'prune'),
    ...(tenant !== undefined && { tenant }),
    ...(token && { token }),
    ...(ownedPrefix !== undefined && { ownedPrefix }),
  };
  const steps = await planRuler(ruler);
  const changed = steps.filter((s) => s.action !== 'unchanged' && s.action !== 'keep-namespace');
  return {
    to: 'ruler',
    steps,
    ruler,
    lines: [
      ...formatRulerPlan(steps),
      `  ${changed.length} ruler change(s), ${steps.filter((s) => s.action === 'unchanged').length} group(s) unchanged`,
    ],
    changes: changed.length,
    refusals: [],
    data: { to: 'ruler', steps: steps.map(({ action, namespace, group }) => ({ action, namespace, group })) },
  };
}

async function planForPrometheus(context: PublishContext, url: string): Promise<RulesPlan> {
  const rulesDir = path.resolve(context.root, requiredString(context, 'rules-dir'));
  const files = await planPrometheusRules({ tree: context.tree, rulesDir });
  const groups = [...files.expected.values()].reduce((n, g) => n + g.length, 0);
  return {
    to: 'prometheus',
    files,
    client: client(context, url),
    rulesDir,
    waitMs: optionalString(context, 'wait') === undefined ? 0 : positiveInt(context, 'wait', 1) * 1000,
    lines: files.changed
      ? [
          `  write     ${files.files.size - 1} rule file(s) into ${rulesDir}${files.remove.length > 0 ? `, remove ${files.remove.join(', ')}` : ''}, then reload Prometheus (${groups} group(s))`,
        ]
      : ['  rule files already up to date: nothing to write, no reload'],
    changes: files.changed ? files.files.size - 1 + files.remove.length : 0,
    refusals: [],
    data: {
      to: 'prometheus',
      changed: files.changed,
      files: [...files.files.keys()],
      remove: files.remove,
      groups,
    },
  };
}

/** Rule groups to a Mimir/Cortex ruler (per namespace of dist/mimir/) or to a plain Prometheus. */
export const rulesPublisher: Publisher<RulesPlan> = {
  name: 'rules',
  summary: 'rule groups to a Mimir/Cortex/Loki ruler, or rule files to a plain Prometheus',
  description: `With --ruler-url: per namespace of dist/mimir/, create, update and delete groups through the
ruler API; token (optional) from MIMIR_TOKEN or MIMIR_TOKEN_FILE. With --api loki and Loki's URL as
--ruler-url: the same for the Loki rules of dist/loki/rules/. Namespaces o11y does not define are
left alone unless they start with --owned-prefix and --prune is given.
With --prometheus-url and --rules-dir: write dist/prometheus/rules/ into the directory atomically,
POST /-/reload (needs --web.enable-lifecycle), check every group loaded healthy; roll back otherwise.`,
  options: {
    'ruler-url': { type: 'string', value: '<url>', description: 'Mimir/Cortex ruler', url: true },
    api: {
      type: 'string',
      value: 'mimir|cortex|loki',
      description:
        'the ruler API path: Mimir /prometheus/config/v1/rules (default), Cortex /api/v1/rules, Loki /loki/api/v1/rules',
    },
    tenant: {
      type: 'string',
      value: '<id>',
      description: 'tenant (X-Scope-OrgID); a Cortex without auth: fake',
    },
    'owned-prefix': { type: 'string', value: '<p>', description: "namespaces with this prefix are o11y's" },
    prune: {
      type: 'boolean',
      description: 'with --owned-prefix: delete owned namespaces the build no longer has',
    },
    'prometheus-url': { type: 'string', value: '<url>', description: 'plain Prometheus', url: true },
    'rules-dir': {
      type: 'string',
      value: '<dir>',
      description: "the directory Prometheus's rule_files reads",
    },
    wait: {
      type: 'string',
      value: '<seconds>',
      description: 'also wait until every rule was evaluated once',
    },
  },
  plan(context) {
    const ruler = optionalString(context, 'ruler-url');
    const prometheus = optionalString(context, 'prometheus-url');
    if (ruler && prometheus) throw new UsageError('give --ruler-url or --prometheus-url, not both');
    if (ruler) return planForRuler(context, ruler);
    if (prometheus) return planForPrometheus(context, prometheus);
    throw new UsageError('give --ruler-url (Mimir/Cortex) or --prometheus-url with --rules-dir');
  },
  async apply(plan) {
    if (plan.to === 'ruler') {
      await applyRulerSteps(plan.ruler, plan.steps);
      return { summary: `${plan.changes} ruler change(s) applied`, data: { changes: plan.changes } };
    }
    await applyPrometheusRules(plan.files, {
      rulesDir: plan.rulesDir,
      client: plan.client,
      waitForEvaluationMs: plan.waitMs,
    });
    return {
      summary: `wrote ${plan.files.files.size - 1} rule file(s), removed ${plan.files.remove.length}; Prometheus reloaded, all groups healthy`,
      data: { written: plan.files.files.size - 1, removed: plan.files.remove },
    };
  },
  async verify(plan) {
    if (plan.to === 'prometheus') {
      await verifyPrometheusRules(plan.files, { client: plan.client, waitForEvaluationMs: plan.waitMs });
      return;
    }
    await verifyRuler(plan.ruler);
  },
};
