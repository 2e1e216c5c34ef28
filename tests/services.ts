import type * as Services from '../catalog/services.ts';

/**
 * The exports of catalog/services.ts with services added at the end of its list, and of the lists
 * derived from it: what a `vi.mock` of the module returns for a larger organisation.
 */
export function withServices<
  S extends (typeof Services.services)[number] | ReturnType<typeof Services.service>,
>(original: typeof Services, added: readonly S[]) {
  const services = [...original.services, ...added];
  return {
    ...original,
    services,
    serviceNames: services.map((s) => s.name),
    promClientServices: services.filter((s) => s.instrumentation === 'prom-client'),
    otelServices: services.filter((s) => s.instrumentation === 'otel'),
  };
}
