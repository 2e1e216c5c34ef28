import { formatDuration, parseDuration } from '@o11y/core';
import { walk } from '@o11y/promql';
import type { Node } from '../../analysis/ast.ts';
import { ShapeResolver } from '../../analysis/shape.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject } from '../../project.ts';

const INSTANT_RATES = new Set(['irate', 'idelta']);
const RANGE_FUNCTIONS = new Set(['rate', 'increase', 'delta', 'deriv', 'changes', 'resets']);
const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** A selector of a scraped series: recorded series are already computed over a window. */
function scraped(project: LintProject, node: Node): boolean {
  if (node.type !== 'VectorSelector') return false;
  const name = ShapeResolver.metricName(node);
  return (
    name === undefined ||
    (project.recordersOf(name).length === 0 && project.catalogued(name)?.type !== 'recorded')
  );
}

/** Why an expression flaps from one evaluation to the next, or undefined when it is steady. */
function noise(project: LintProject, root: Node, minRange: number): string | undefined {
  let reason: string | undefined;
  walk(root, (node) => {
    if (reason) return false;
    if (node.type === 'Call' && INSTANT_RATES.has(node.func))
      reason = `${node.func}() looks at the last two samples only`;
    else if (node.type === 'Call' && node.func === 'absent')
      reason = 'absent() fires on every scrape gap and restart';
    else if (node.type === 'Call' && RANGE_FUNCTIONS.has(node.func)) {
      const range = node.args[0]?.type === 'MatrixSelector' ? node.args[0].range : undefined;
      if (range !== undefined && range < minRange)
        reason = `${node.func}() over only ${formatDuration(range)}`;
    } else if (
      node.type === 'Binary' &&
      COMPARISONS.has(node.op) &&
      (scraped(project, node.lhs) || scraped(project, node.rhs))
    )
      reason = 'it compares a raw sample, which changes with every scrape';
    return undefined;
  });
  return reason;
}

export const alertFor = defineCheck({
  id: 'rules/alert-for',
  severity: 'warning',
  doc: `An alert without \`for\` fires on the first evaluation where its expression returns anything. That is fine
for expressions that already look at a window (\`rate(x[5m])\`, multi-window burn rates), but noisy ones page on
every blip: \`irate\`/\`idelta\`, a rate over less than \`minRange\`, \`absent()\` (scrape gaps and restarts), and a
comparison on a raw scraped sample (\`up == 0\`; recorded series are already windowed). Give those a \`for\` of at least \`minFor\`.`,
  options: {
    minRange: { default: '5m', doc: 'shorter rate windows count as noisy' },
    minFor: { default: '1m', doc: 'the shortest for a noisy alert may have' },
  },
  *run({ project, options }) {
    const minFor = parseDuration(options.minFor);
    for (const { rule, expression } of project.rules) {
      if (rule.kind !== 'alert' || !expression.parsed.ok) continue;
      const held = rule.for === undefined ? 0 : parseDuration(rule.for);
      if (held >= minFor) continue;
      const reason = noise(project, expression.parsed.expr, parseDuration(options.minRange));
      if (!reason) continue;
      yield {
        target: expression.target,
        message: `alert ${rule.name} ${held === 0 ? 'has no for' : `holds for only ${rule.for}`} but its expression is noisy: ${reason}`,
        hint: `add for: ${options.minFor} or more, or use a windowed expression`,
      };
    }
  },
});
