import {
  type BuildContext,
  type DashboardModel,
  type Diagnostic,
  kindOf,
  O11yErrors,
  type ProjectModel,
  type RuleGroupModel,
  type ScrapeJobModel,
  toDiagnostics,
} from '@o11y/core';
import { emitters } from './emitters.ts';

/**
 * The neutral project model of the definitions, each builder package contributing its part. `modelled`
 * is given each part as soon as it is made, for a caller that starts work on it while the next one is
 * made (`o11y lint` parses the rules while the dashboards compile).
 */
export async function projectModel(
  context: BuildContext,
  modelled?: (part: Partial<ProjectModel>) => void,
): Promise<ProjectModel> {
  const ruleGroups: RuleGroupModel[] = [];
  const dashboards: DashboardModel[] = [];
  const scrapeJobs: ScrapeJobModel[] = [];
  const lokiRuleGroups: RuleGroupModel[] = [];
  const failures: Diagnostic[] = [];
  for (const emitter of emitters) {
    if (!emitter.model) continue;
    const own = context.definitions.filter((d) => emitter.kinds.includes(kindOf(d)));
    try {
      const part = await emitter.model(own, context);
      modelled?.(part);
      ruleGroups.push(...(part.ruleGroups ?? []));
      dashboards.push(...(part.dashboards ?? []));
      scrapeJobs.push(...(part.scrapeJobs ?? []));
      lokiRuleGroups.push(...(part.lokiRuleGroups ?? []));
    } catch (error) {
      failures.push(...toDiagnostics(error));
    }
  }
  if (failures.length > 0) throw new O11yErrors(failures);
  return { ruleGroups, dashboards, scrapeJobs, lokiRuleGroups };
}
