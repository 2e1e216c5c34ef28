/**
 * Schema file → the foundation-SDK module and exported type it is derived from, or (`own`) a type of
 * this package where the SDK's type differs from what Grafana's API takes.
 */
export const SCHEMA_SOURCES = {
  'dashboard.schema.json': { module: 'dashboard/types.gen.d.ts', type: 'Dashboard' },
  'dashboardv2beta1.schema.json': { module: 'dashboardv2beta1/types.gen.d.ts', type: 'Dashboard' },
  'prometheus-query.schema.json': { module: 'prometheus/types.gen.d.ts', type: 'Dataquery' },
  'loki-query.schema.json': { module: 'loki/types.gen.d.ts', type: 'dataquery' },
  'alerting-rule-group.schema.json': { module: 'alerting/types.gen.d.ts', type: 'RuleGroup' },
  'alerting-contact-point.schema.json': { module: 'alerting/types.gen.d.ts', type: 'ContactPoint' },
  'alerting-notification-policy.schema.json': {
    module: 'alerting/types.gen.d.ts',
    type: 'NotificationPolicy',
  },
  'alerting-mute-timing.schema.json': { own: 'alerting/mute-timing.ts', type: 'MuteTiming' },
} as const;

export type SchemaFile = keyof typeof SCHEMA_SOURCES;
