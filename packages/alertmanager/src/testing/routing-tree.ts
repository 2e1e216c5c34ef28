import { O11yError } from '@o11y/core';
import { parse } from 'yaml';
import { type Matcher, matchesAll, parseMatcher } from '../matchers.ts';

/** A route of an emitted alertmanager.yml with what it inherits resolved. */
export interface RouteNode {
  readonly receiver: string;
  readonly matchers: readonly Matcher[];
  readonly continues: boolean;
  readonly routes: readonly RouteNode[];
}

export interface RoutingConfig {
  readonly root: RouteNode;
  /** Receiver name → whether it has any integration (a receiver without one notifies nobody). */
  readonly notifies: ReadonlyMap<string, boolean>;
  /** The parsed document, for deriving the test config of the inhibition tests. */
  readonly document: Record<string, unknown>;
}

interface RawRoute {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  routes?: RawRoute[];
}

function toNode(raw: RawRoute, inherited: string): RouteNode {
  const receiver = raw.receiver ?? inherited;
  return {
    receiver,
    matchers: (raw.matchers ?? []).map(parseMatcher),
    continues: raw.continue === true,
    routes: (raw.routes ?? []).map((child) => toNode(child, receiver)),
  };
}

/** Reads the routing tree and receivers of an alertmanager.yml written by this package. */
export function readRoutingConfig(text: string): RoutingConfig {
  const document = parse(text) as Record<string, unknown> | null;
  const route = document?.route as RawRoute | undefined;
  if (!document || !route?.receiver) {
    throw new O11yError('alertmanager.yml has no root route with a receiver', {
      id: 'alertmanager/config-unreadable',
      hint: 'rebuild dist/ with `o11y build`',
    });
  }
  const receivers = (document.receivers ?? []) as Array<Record<string, unknown>>;
  const notifies = new Map(
    receivers.map((r) => [String(r.name), Object.keys(r).some((key) => key.endsWith('_configs'))] as const),
  );
  return { root: toNode(route, route.receiver), notifies, document };
}

/**
 * The routes an alert ends at, as Alertmanager's dispatcher finds them: depth first, stopping after
 * the first matching sibling unless it has `continue`; a route none of whose children match is itself
 * the match. Checked against `amtool config routes test` in this package's tests.
 */
export function matchRoutes(route: RouteNode, labels: Readonly<Record<string, string>>): RouteNode[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const found: RouteNode[] = [];
  for (const child of route.routes) {
    const matched = matchRoutes(child, labels);
    found.push(...matched);
    if (matched.length > 0 && !child.continues) break;
  }
  return found.length > 0 ? found : [route];
}

export function receiversFor(config: RoutingConfig, labels: Readonly<Record<string, string>>): string[] {
  return matchRoutes(config.root, labels).map((route) => route.receiver);
}
