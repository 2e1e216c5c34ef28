import { alertmanagerPublisher } from './alertmanager/publisher.ts';
import { grafanaPublisher } from './grafana/publisher.ts';
import { grafanaAlertingPublisher } from './grafana-alerting/publisher.ts';
import type { Publisher } from './publisher.ts';
import { rulesPublisher } from './rules/publisher.ts';

/** The targets of `o11y publish`, in the order its help lists them. A new target is one line here. */
export const publishers: readonly Publisher[] = [
  grafanaPublisher,
  grafanaAlertingPublisher,
  rulesPublisher,
  alertmanagerPublisher,
];
