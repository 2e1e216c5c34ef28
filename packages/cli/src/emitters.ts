import { emitter as alertmanager } from '@o11y/alertmanager';
import type { Emitter } from '@o11y/core';
import { emitter as dashboards } from '@o11y/dashboards';
import { emitter as rules } from '@o11y/rules';

/** The builder packages' emitters; each declares its `order` (rules before the dashboards that read them). */
export const emitters: readonly Emitter[] = [rules, dashboards, alertmanager];
