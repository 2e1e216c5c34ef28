import { emitters } from '@o11y/build';
import {
  type BuildContext,
  type DashboardModel,
  type Definition,
  kindOf,
  type ProjectModel,
  type RuleGroupModel,
} from '@o11y/core';

/**
 * The neutral model of the sample organisation as a build profile deploys it (dashboards with every
 * panel query and its TypeScript line, rule groups), from the emitters `o11y build` uses.
 */
export async function loadProjectModel(
  root: string,
  definitions: readonly Definition[],
  profile: string,
): Promise<ProjectModel> {
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
