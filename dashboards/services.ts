import { EVERY_SLO, redDashboard, sloDashboard } from '@o11y/dashboards';
import { dimensions } from '../catalog/dimensions.ts';
import { httpConventionOf, type OrgService, services } from '../catalog/index.ts';
import { logStreams } from '../catalog/log-streams.ts';
import { serviceRules } from '../rules/services.ts';
import { API_ERROR_RATE, P95_LATENCY_SECONDS, RUNBOOKS } from '../rules/thresholds.ts';
import { teamFolder } from './folders.ts';

/**
 * A RED and an SLO dashboard for every service of the catalogue, in its team's folder, linked to each
 * other. A service added to catalog/services.ts gets both here with no other change: its RED recording
 * rules come from rules/services.ts and its SLOs from rules/slos.ts, both generated from the same list.
 */
function serviceDashboards(service: OrgService) {
  const rules = serviceRules.find((r) => r.service.name === service.name);
  const folder = teamFolder(service.team);
  const red = redDashboard({
    service,
    http: httpConventionOf(service),
    dimensions,
    logStreams,
    folder,
    thresholds: { errorRatio: API_ERROR_RATE, p95Latency: P95_LATENCY_SECONDS },
    ...(rules && { recorded: rules.red }),
    runbook: `${RUNBOOKS}/${service.name}`,
  });
  // Every SLO of the service the build collects, whichever module defines it (rules/slos.ts or its own).
  const slo = sloDashboard(EVERY_SLO, {
    service: service.name,
    folder,
    dimensions,
    // The runbook the SLOs' burn-rate alerts link to.
    runbook: `${RUNBOOKS}/SLOErrorBudgetBurn`,
  });
  red.linkTo(slo, `${service.name} SLOs`);
  slo.linkTo(red, `${service.name} RED`);
  return { red, slo };
}

const perService = services.map(serviceDashboards);

export const redDashboards = perService.map((d) => d.red);
export const sloDashboards = perService.map((d) => d.slo);
