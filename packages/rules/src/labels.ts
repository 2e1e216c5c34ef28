import { ALERT_SEVERITIES } from '@o11y/core';

/** The closed set of alert severities; Alertmanager routes on it (critical pages, warning and info notify). */
export const SEVERITIES = ALERT_SEVERITIES;
export type Severity = (typeof SEVERITIES)[number];

/** How an SLO burn-rate alert should reach people: `page` wakes someone up, `ticket` can wait for work hours. */
export const SLO_SEVERITIES = ['page', 'ticket'] as const;
export type SloSeverity = (typeof SLO_SEVERITIES)[number];

/**
 * The labels alerting rules of this package set, and the values they take. The Alertmanager package types
 * its matchers with it (instantiate it with the organisation's team and service names), so a route
 * cannot match a label no rule sets. Optional keys are set only by some alerts.
 */
export type AlertLabelVocabulary<Team extends string = string, Service extends string = string> = {
  readonly severity: Severity;
  readonly team: Team;
  /** Set by service and SLO alerts. */
  readonly service?: Service;
  /** Set by SLO burn-rate alerts only. */
  readonly slo_severity?: SloSeverity;
  /** The SLO's name (`availability`, `latency`) on SLO alerts. */
  readonly slo?: string;
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus's classic label name syntax; `__` names are reserved for Prometheus itself. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}
