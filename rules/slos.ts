import { re } from '@o11y/catalog';
import { availability, latency, type Slo, type SloOptions, slo } from '@o11y/rules';
import {
  dimensions,
  httpRequestDurationSeconds,
  httpRequestsTotal,
  httpServerRequestDurationSeconds,
  type OrgService,
  type ServiceName,
  serverErrorStatus,
  services,
} from '../catalog/index.ts';
import { RUNBOOKS } from './thresholds.ts';

/** Availability: the share of requests not answered with a 5xx. */
function availabilitySli(service: OrgService) {
  const { name } = service;
  if (service.instrumentation === 'prom-client') {
    return availability({
      total: httpRequestsTotal.select({ service: name }),
      errors: httpRequestsTotal.select({ service: name, status_code: serverErrorStatus }),
    });
  }
  const requests = httpServerRequestDurationSeconds.count;
  return availability({
    total: requests.select({ service_name: name }),
    errors: requests.select({ service_name: name, http_response_status_code: re('5..') }),
  });
}

/** Latency: the share of requests served within the service's threshold. */
function latencySli(service: OrgService) {
  const { threshold } = service.slo.latency;
  const { name } = service;
  return service.instrumentation === 'prom-client'
    ? latency({ histogram: httpRequestDurationSeconds, select: { service: name }, threshold })
    : latency({ histogram: httpServerRequestDurationSeconds, select: { service_name: name }, threshold });
}

/**
 * Each SLO is computed per environment (its own budget and burn rates), and alerts by environment:
 * production pages and opens tickets, staging only opens tickets, so a staging outage never wakes
 * anyone nor touches production's budget.
 */
const perEnvironment = {
  grouping: dimensions.ruleLabels,
  alerting: {
    runbookUrl: `${RUNBOOKS}/SLOErrorBudgetBurn`,
    page: { where: { environment: ['production'] } },
    ticket: { where: { environment: ['production', 'staging'] } },
  },
} satisfies Partial<SloOptions>;

/** An availability and a latency SLO for every service, with the objectives of the service list. */
export const slos: readonly Slo[] = services.flatMap((service) => [
  slo({
    service,
    name: 'availability',
    description: `Requests to ${service.name} that do not fail with a server error`,
    objective: service.slo.availability,
    sli: availabilitySli(service),
    ...perEnvironment,
  }),
  slo({
    service,
    name: 'latency',
    description: `Requests to ${service.name} served within ${service.slo.latency.threshold * 1000} ms`,
    objective: service.slo.latency.objective,
    sli: latencySli(service),
    ...perEnvironment,
  }),
]);

/** The SLO of a service by name, for dashboards and tests. */
export function sloOf(service: ServiceName, name: 'availability' | 'latency'): Slo {
  const found = slos.find((s) => s.service === service && s.name === name);
  if (!found) throw new Error(`no ${name} SLO for ${service}`);
  return found;
}
