import { serviceKinds } from '@o11y/catalog';

/**
 * What our services are built with: prom-client or the OpenTelemetry SDK for metrics, PostgreSQL and
 * Redis for data. A kind outside these is a compile error in the list below.
 */
export const service = serviceKinds<{
  instrumentation: 'prom-client' | 'otel';
  datastore: 'postgres' | 'redis';
}>();

/**
 * The organisation's services: the single list dashboards, rules, SLOs and scrape jobs are generated
 * from. Adding a service here adds its scrape job, its RED and SLO dashboards, rules and SLOs.
 * prom-client services serve `/metrics` on their HTTP port; OpenTelemetry services use the SDK's
 * Prometheus exporter on 9464 with `service.name` and `deployment.environment.name` as constant labels.
 */
export const services = [
  service('api-gateway', {
    description: 'Public HTTP entry point: routing, authentication hand-off and rate limiting',
    team: 'platform',
    instrumentation: 'prom-client',
    tier: 'critical',
    replicas: 3,
    port: 3000,
    datastores: ['redis'],
    slo: { availability: 0.999, latency: { threshold: 0.5, objective: 0.99 } },
  }),
  service('auth', {
    description: 'Sessions, tokens and login',
    team: 'identity',
    instrumentation: 'prom-client',
    tier: 'critical',
    replicas: 3,
    port: 3000,
    datastores: ['postgres', 'redis'],
    slo: { availability: 0.999, latency: { threshold: 0.25, objective: 0.99 } },
  }),
  service('users', {
    description: 'User profiles and accounts',
    team: 'identity',
    instrumentation: 'prom-client',
    tier: 'high',
    replicas: 2,
    port: 3000,
    datastores: ['postgres'],
    slo: { availability: 0.995, latency: { threshold: 0.5, objective: 0.99 } },
  }),
  service('products', {
    description: 'Product catalogue and prices',
    team: 'commerce',
    instrumentation: 'prom-client',
    tier: 'high',
    replicas: 3,
    port: 3000,
    datastores: ['postgres', 'redis'],
    slo: { availability: 0.995, latency: { threshold: 0.5, objective: 0.99 } },
  }),
  service('cart', {
    description: 'Shopping carts',
    team: 'commerce',
    instrumentation: 'prom-client',
    tier: 'high',
    replicas: 2,
    port: 3000,
    datastores: ['redis'],
    slo: { availability: 0.995, latency: { threshold: 0.25, objective: 0.99 } },
  }),
  service('orders', {
    description: 'Order placement and order history',
    team: 'commerce',
    instrumentation: 'prom-client',
    tier: 'critical',
    replicas: 3,
    port: 3000,
    datastores: ['postgres'],
    slo: { availability: 0.999, latency: { threshold: 1, objective: 0.99 } },
  }),
  service('payments', {
    description: 'Payment authorisation and capture through the payment provider',
    team: 'payments',
    instrumentation: 'prom-client',
    tier: 'critical',
    replicas: 3,
    port: 3000,
    datastores: ['postgres'],
    slo: { availability: 0.9995, latency: { threshold: 1, objective: 0.99 } },
  }),
  service('inventory', {
    description: 'Stock levels and reservations',
    team: 'fulfilment',
    instrumentation: 'prom-client',
    tier: 'high',
    replicas: 2,
    port: 3000,
    datastores: ['postgres'],
    slo: { availability: 0.995, latency: { threshold: 0.5, objective: 0.99 } },
  }),
  service('shipping', {
    description: 'Shipping quotes, labels and tracking through carrier APIs',
    team: 'fulfilment',
    instrumentation: 'prom-client',
    tier: 'standard',
    replicas: 2,
    port: 3000,
    datastores: ['postgres'],
    slo: { availability: 0.99, latency: { threshold: 2.5, objective: 0.95 } },
  }),
  service('notifications', {
    description: 'E-mail, push and in-app notifications, live updates over websockets',
    team: 'engagement',
    instrumentation: 'otel',
    tier: 'standard',
    replicas: 2,
    port: 9464,
    datastores: ['redis'],
    slo: { availability: 0.99, latency: { threshold: 1, objective: 0.95 } },
  }),
  service('search', {
    description: 'Product search and suggestions',
    team: 'engagement',
    instrumentation: 'otel',
    tier: 'high',
    replicas: 2,
    port: 9464,
    datastores: ['redis'],
    slo: { availability: 0.995, latency: { threshold: 0.5, objective: 0.99 } },
  }),
] as const;

export type OrgService = (typeof services)[number];
export type ServiceName = OrgService['name'];
/** Teams that own services; exporters belong to `infrastructure`. */
export type Team = OrgService['team'] | 'infrastructure';

export const serviceNames: readonly ServiceName[] = services.map((s) => s.name);

export const promClientServices = services.filter((s) => s.instrumentation === 'prom-client');
export const otelServices = services.filter((s) => s.instrumentation === 'otel');

/** The environments every service runs in (the `environment` label). */
export const environments = ['production', 'staging'] as const;
export type Environment = (typeof environments)[number];

/** Instances of a service in an environment: its `replicas` in production, one in staging. */
export function replicasIn(service: OrgService, environment: Environment): number {
  return environment === 'staging' ? 1 : service.replicas;
}
