import { emitter as alertmanager } from '@o11y/alertmanager';
import type { Emitter } from '@o11y/core';
import { emitter as dashboards, alertingEmitter as grafanaAlerting } from '@o11y/dashboards';
import { emitter as rules } from '@o11y/rules';

/**
 * The builder packages' emitters. Each emits from the definitions alone (the dashboards emitter reads
 * the rule definitions, not the rules emitter's output; Grafana alerting reads the rule groups and the
 * Alertmanager config), so their order only fixes the order of the verify stage's messages.
 */
export const emitters: readonly Emitter[] = [rules, dashboards, grafanaAlerting, alertmanager];

/**
 * The order the build runs the emitters' `emit` in: the dashboards first. Their `model()` compiled every
 * dashboard for `emit()` to take, and those are a third of what the build's thread keeps at 1,000
 * services (about 100 MB): emitted first, they are garbage while the rule files are made. Messages
 * still keep the order of `emitters`.
 */
export const emitOrder: readonly Emitter[] = [dashboards, ...emitters.filter((e) => e !== dashboards)];
