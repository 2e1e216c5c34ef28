import type { AlertLabelVocabulary } from '@o11y/rules';
import type { Environment, ServiceName, Team } from '../catalog/services.ts';

/**
 * The labels the organisation's alerting rules set, which routes, inhibit rules and routing tests are
 * typed by: the rules package's vocabulary with the organisation's teams and services, and the
 * `environment` dimension every alert keeps from its series, so a matcher on a label or value no rule
 * sets does not compile.
 */
export type OrgAlertLabels = AlertLabelVocabulary<Team, ServiceName> & {
  readonly environment?: Environment;
};
