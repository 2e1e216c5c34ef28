import type { Service } from '@o11y/catalog';
import type { Random } from './random.ts';

/** One endpoint of a service's REST API, as its router names it (`/api/orders/:id`). */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Share of the traffic that calls it. */
  readonly weight: number;
  readonly success: string;
  /** Client errors this endpoint answers with, and how often. */
  readonly clientErrors: ReadonlyArray<readonly [status: string, share: number]>;
}

/** Endpoints every service serves that are not part of its API and are not instrumented. */
export const HEALTH_PATH = '/health';
export const METRICS_PATH = '/metrics';

/**
 * The REST API a service serves over its resource (`/api/<service>`): list, read, create, replace,
 * update, delete, and a search. Generated from the service, so a new service in the catalogue serves
 * traffic with no other change.
 */
export function routesOf(service: Pick<Service, 'name'>): Route[] {
  const collection = `/api/${service.name}`;
  const item = `${collection}/:id`;
  return [
    {
      method: 'GET',
      path: collection,
      weight: 35,
      success: '200',
      clientErrors: [
        ['400', 0.005],
        ['401', 0.002],
      ],
    },
    {
      method: 'GET',
      path: `${collection}/search`,
      weight: 10,
      success: '200',
      clientErrors: [['400', 0.01]],
    },
    {
      method: 'GET',
      path: item,
      weight: 30,
      success: '200',
      clientErrors: [
        ['404', 0.02],
        ['304', 0.05],
      ],
    },
    {
      method: 'POST',
      path: collection,
      weight: 12,
      success: '201',
      clientErrors: [
        ['422', 0.02],
        ['409', 0.005],
      ],
    },
    {
      method: 'PUT',
      path: item,
      weight: 5,
      success: '200',
      clientErrors: [
        ['404', 0.01],
        ['409', 0.01],
      ],
    },
    { method: 'PATCH', path: item, weight: 5, success: '200', clientErrors: [['422', 0.01]] },
    {
      method: 'DELETE',
      path: item,
      weight: 3,
      success: '204',
      clientErrors: [
        ['404', 0.02],
        ['403', 0.01],
      ],
    },
  ];
}

/** A concrete URL path for a route, as a client would call it. */
export function pathFor(route: Route, random: Random): string {
  return route.path.replace(':id', String(1000 + Math.floor(random.next() * 9000)));
}

/** The route whose pattern matches a request, as Express would report it in `req.route.path`. */
export function matchRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  return routes.find((route) => {
    if (route.method !== method) return false;
    const pattern = route.path.split('/');
    const actual = path.split('/');
    return (
      pattern.length === actual.length &&
      pattern.every((part, i) => part.startsWith(':') || part === actual[i])
    );
  });
}

/** Server errors a failing request answers with: mostly 500, some 503 (overload) and 504 (timeouts upstream). */
export const SERVER_ERRORS: ReadonlyArray<readonly [status: string, share: number]> = [
  ['500', 0.7],
  ['503', 0.2],
  ['504', 0.1],
];
