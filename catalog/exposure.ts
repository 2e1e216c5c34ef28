import { label } from '@o11y/catalog';
import { environments, type OrgService } from './services.ts';

/**
 * Where a prom-client metric comes from: the scrape jobs of the services that expose it, the default
 * labels every prom-client registry of ours sets (`service`, `environment`), and that a service's series
 * come from its own job only, so that a selector of one service counts that service's targets.
 */
export function exposedBy<const S extends OrgService>(exposing: readonly S[]) {
  return {
    jobs: exposing.map((s) => s.job),
    defaultLabels: {
      service: label.values(exposing.map((s) => s.name)),
      environment: label.values(environments),
    },
    jointCaps: [{ labels: ['job'], per: ['service'], max: 1 }] as const,
  };
}
