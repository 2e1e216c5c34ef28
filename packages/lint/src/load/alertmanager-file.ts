import type { SourceLocation } from '@o11y/core';
import { isScalar, type Node, type YAMLMap } from 'yaml';
import { asMap, field, items, type PositionedDocument, text } from './document.ts';

/** An Alertmanager configuration file as written, for the alertmanager/ checks. */
export interface AlertmanagerSource {
  readonly document: PositionedDocument;
  readonly root: YAMLMap;
}

/** `alertmanager.yml`: a top-level `route` and `receivers`. */
export function isAlertmanagerConfig(root: YAMLMap): boolean {
  return asMap(field(root, 'route')) !== undefined && field(root, 'receivers') !== undefined;
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface RouteMatcher {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
  readonly source: SourceLocation;
}

/** One route of the tree, with what the checks read of it and where it was written. */
export interface RouteNode {
  /** `route`, `route.routes[0]`, … */
  readonly path: string;
  readonly receiver?: { readonly name: string; readonly source: SourceLocation };
  readonly matchers: readonly RouteMatcher[];
  /** Matchers that could not be read; the route is then not compared with others. */
  readonly unreadable: boolean;
  readonly continue: boolean;
  readonly children: readonly RouteNode[];
  readonly source: SourceLocation;
}

/** The receivers an Alertmanager configuration defines, by name, where each is defined. */
export function receiversOf(source: AlertmanagerSource): Map<string, SourceLocation> {
  const found = new Map<string, SourceLocation>();
  for (const node of items(field(source.root, 'receivers'))) {
    const name = text(asMap(node), 'name');
    if (name !== undefined && !found.has(name)) found.set(name, source.document.locate(node));
  }
  return found;
}

const OPERATORS: readonly MatchOperator[] = ['=~', '!~', '!=', '='];

/**
 * Alertmanager's matcher syntax (`name="value"`, unquoted `name=value`, several in `{…}` separated by
 * commas, Go-escaped quoted strings). Returns undefined for text Alertmanager would refuse: the
 * configuration check reports that.
 */
export function parseMatchers(input: string): Omit<RouteMatcher, 'source'>[] | undefined {
  let rest = input.trim();
  if (rest.startsWith('{')) {
    if (!rest.endsWith('}')) return undefined;
    rest = rest.slice(1, -1);
  }
  const found: Omit<RouteMatcher, 'source'>[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < rest.length && /\s/.test(rest[at]!)) at += 1;
  };
  const token = (stop: (c: string) => boolean): string | undefined => {
    skipSpace();
    if (rest[at] === '"') {
      let end = at + 1;
      while (end < rest.length && rest[end] !== '"') end += rest[end] === '\\' ? 2 : 1;
      if (end >= rest.length) return undefined;
      try {
        const value = JSON.parse(rest.slice(at, end + 1)) as string;
        at = end + 1;
        return value;
      } catch {
        return undefined;
      }
    }
    const start = at;
    while (at < rest.length && !stop(rest[at]!)) at += 1;
    return rest.slice(start, at).trim();
  };
  skipSpace();
  while (at < rest.length) {
    const name = token((c) => '=!~,'.includes(c));
    skipSpace();
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate, at));
    if (!name || !op) return undefined;
    at += op.length;
    const value = token((c) => c === ',');
    if (value === undefined) return undefined;
    found.push({ name, op, value });
    skipSpace();
    if (at < rest.length) {
      if (rest[at] !== ',') return undefined;
      at += 1;
      skipSpace();
    }
  }
  return found;
}

/** The matchers of a route (`matchers`, `match`, `match_re`), or of an inhibition side (`source_…`, `target_…`). */
function routeMatchers(
  document: PositionedDocument,
  route: YAMLMap | undefined,
  prefix = '',
): { matchers: RouteMatcher[]; unreadable: boolean } {
  const matchers: RouteMatcher[] = [];
  let unreadable = false;
  for (const node of items(field(route, `${prefix}matchers`))) {
    const parsed = isScalar(node) ? parseMatchers(String(node.value)) : undefined;
    if (!parsed) unreadable = true;
    for (const m of parsed ?? []) matchers.push({ ...m, source: document.locate(node) });
  }
  for (const [key, op] of [
    ['match', '='],
    ['match_re', '=~'],
  ] as const) {
    for (const pair of asMap(field(route, `${prefix}${key}`))?.items ?? []) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
      matchers.push({
        name: String(pair.key.value),
        op,
        value: String(pair.value.value ?? ''),
        source: document.locate(pair.key as Node),
      });
    }
  }
  return { matchers, unreadable };
}

function readRoute(document: PositionedDocument, node: Node | undefined, path: string): RouteNode {
  const route = asMap(node);
  const receiverNode = field(route, 'receiver');
  const receiver = text(route, 'receiver');
  const { matchers, unreadable } = routeMatchers(document, route);
  return {
    path,
    ...(receiver !== undefined && { receiver: { name: receiver, source: document.locate(receiverNode) } }),
    matchers,
    unreadable,
    continue: text(route, 'continue') === 'true',
    children: items(field(route, 'routes')).map((child, index) =>
      readRoute(document, child, `${path}.routes[${index}]`),
    ),
    source: document.locate(node),
  };
}

/** The routing tree of an Alertmanager configuration. */
export function routeTree(source: AlertmanagerSource): RouteNode {
  return readRoute(source.document, field(source.root, 'route'), 'route');
}

/** Every route of a tree, the top-level one first, depth first. */
export function* allRoutes(route: RouteNode): Generator<RouteNode> {
  yield route;
  for (const child of route.children) yield* allRoutes(child);
}

/** One inhibition rule, with where it and its `equal` list were written. */
export interface InhibitRuleNode {
  /** `inhibit_rules[0]`, with its name when it has one. */
  readonly path: string;
  readonly equal: readonly string[];
  /** Its `source_matchers` (and `source_match`), then its `target_matchers` (and `target_match`). */
  readonly source: readonly RouteMatcher[];
  readonly target: readonly RouteMatcher[];
  /** The `equal` list, or the rule when it has none. */
  readonly equalSource: SourceLocation;
}

/** The inhibition rules of an Alertmanager configuration. */
export function inhibitRules(source: AlertmanagerSource): InhibitRuleNode[] {
  return items(field(source.root, 'inhibit_rules')).map((node, index) => {
    const rule = asMap(node);
    const name = text(rule, 'name');
    const equalNode = field(rule, 'equal');
    const side = (prefix: 'source_' | 'target_') => routeMatchers(source.document, rule, prefix).matchers;
    return {
      path: `inhibit_rules[${index}]${name === undefined ? '' : ` (${name})`}`,
      equal: items(equalNode).flatMap((item) => (isScalar(item) ? [String(item.value)] : [])),
      source: side('source_'),
      target: side('target_'),
      equalSource: source.document.locate(equalNode ?? node),
    };
  });
}
