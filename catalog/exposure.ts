import { label } from '@o11y/catalog';
import { environments, type OrgService } from './services.ts';

/**
 * Where a prom-client metric comes from: the scrape jobs of the services that expose it, and the
 * default labels every prom-client registry of ours sets (`service`, `environment`).
 */
export function exposedBy<const S extends OrgService>(exposing: readonly S[]) {
  return {
    jobs: exposing.map((s) => s.job),
    defaultLabels: {
      service: label.values(exposing.map((s) => s.name)),
      environment: label.values(environments),
    },
  };
}
