import {
  type BuildContext,
  type DashboardModel,
  kindOf,
  type ProjectModel,
  type RuleGroupModel,
} from '@o11y/core';
// The CLI package exports `build` only; its definition loader and emitter list are what `o11y build` uses.
import { loadDefinitions } from '../../../packages/cli/src/build.ts';
import { emitters } from '../../../packages/cli/src/emitters.ts';

/**
 * The neutral model of the sample organisation (dashboards with every panel query and its
 * TypeScript line, rule groups), from the same definitions and emitters `o11y build` uses.
 */
export async function loadProjectModel(root: string, profile: string): Promise<ProjectModel> {
  const definitions = await loadDefinitions(root);
  const context: BuildContext = { root, definitions, profile, log: () => {} };
  const dashboards: DashboardModel[] = [];
  const ruleGroups: RuleGroupModel[] = [];
  for (const emitter of emitters) {
    if (!emitter.model) continue;
    const own = definitions.filter((d) => emitter.kinds.includes(kindOf(d)));
    const part = await emitter.model(own, context);
    dashboards.push(...(part.dashboards ?? []));
    ruleGroups.push(...(part.ruleGroups ?? []));
  }
  return { dashboards, ruleGroups, scrapeJobs: [] };
}
