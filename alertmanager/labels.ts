import type { ServiceName, Team } from '../catalog/services.ts';

/**
 * The labels the organisation's alerting rules set, which routes, inhibit rules and routing tests are
 * typed by. SLO alerts add `slo` and `slo_severity` (page alerts are `critical`, ticket alerts `warning`).
 *
 * Hook: once @o11y/rules exports the vocabulary it derives from the rules themselves, alias it here
 * instead of restating it, so a label only a route knows about stops compiling.
 */
export interface OrgAlertLabels {
  readonly severity: 'critical' | 'warning' | 'info';
  readonly team: Team;
  readonly service?: ServiceName;
  readonly slo?: string;
  readonly slo_severity?: 'page' | 'ticket';
}
