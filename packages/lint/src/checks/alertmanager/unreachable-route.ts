import { defineCheck, type Finding } from '../../check.ts';
import { type RouteMatcher, type RouteNode, routeTree } from '../../load/alertmanager-file.ts';

const same = (a: RouteMatcher, b: RouteMatcher) => a.name === b.name && a.op === b.op && a.value === b.value;

/** An earlier sibling without `continue` that takes every alert `route` could: its matchers are a subset. */
function shadowedBy(route: RouteNode, earlier: readonly RouteNode[]): RouteNode | undefined {
  if (route.unreadable) return undefined;
  return earlier.find(
    (sibling) =>
      !sibling.continue &&
      !sibling.unreadable &&
      sibling.matchers.every((m) => route.matchers.some((n) => same(m, n))),
  );
}

/** An equality matcher of `route` that contradicts one of its parents' (`severity="page"` under `severity="ticket"`). */
function contradiction(route: RouteNode, inherited: readonly RouteMatcher[]) {
  for (const matcher of route.matchers) {
    if (matcher.op !== '=') continue;
    const parent = inherited.find(
      (m) => m.op === '=' && m.name === matcher.name && m.value !== matcher.value,
    );
    if (parent) return { matcher, parent };
  }
  return undefined;
}

function* visit(route: RouteNode, inherited: readonly RouteMatcher[], file: string): Generator<Finding> {
  const below = [...inherited, ...route.matchers];
  for (const [index, child] of route.children.entries()) {
    const target = { kind: 'file' as const, file, source: child.source, subject: child.path };
    const shadow = shadowedBy(child, route.children.slice(0, index));
    const conflict = contradiction(child, below);
    if (shadow) {
      yield {
        target,
        message: `${child.path} is never reached: ${shadow.path} before it takes every alert it matches${shadow.matchers.length === 0 ? ' (it has no matchers)' : ''} and does not continue`,
        hint: `move ${child.path} before ${shadow.path}, or set continue: true on ${shadow.path}`,
      };
    } else if (conflict) {
      const { matcher, parent } = conflict;
      yield {
        target,
        message: `${child.path} is never reached: it needs ${matcher.name}="${matcher.value}" below a route that needs ${parent.name}="${parent.value}"`,
        hint: 'move the route to where its alerts arrive, or fix the matcher',
      };
    }
    yield* visit(child, below, file);
  }
}

export const unreachableRoute = defineCheck({
  id: 'alertmanager/unreachable-route',
  severity: 'error',
  doc: `Alertmanager hands an alert to the first child route that matches it and stops there unless that route
says \`continue: true\`. A route is never reached when an earlier sibling without \`continue\` has a subset of its
matchers (every alert it would take was taken already; a sibling without matchers takes everything), or when it
requires a label value that contradicts an equality matcher of a route above it. Only matchers written the same
way are compared (\`severity="page"\` and \`severity=~"page"\` are not), so it finds the common mistakes and claims
nothing it cannot prove. amtool accepts such configurations.`,
  *run({ project }) {
    for (const source of project.sources.alertmanagers)
      yield* visit(routeTree(source), [], source.document.file);
  },
});
