import type { PanelModel, VariableModel } from '@o11y/core';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

/** `label_values(selector, label)` / `label_values(label)`: the label a query variable lists. */
const LABEL_VALUES = /^\s*label_values\((?:.*,)?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s;

/** `items` grouped by the panel each belongs to, in the order met. */
function byPanel<T>(items: readonly T[], panelOf: (item: T) => PanelModel): Map<PanelModel, T[]> {
  const panels = new Map<PanelModel, T[]>();
  for (const item of items) {
    const list = panels.get(panelOf(item)) ?? [];
    list.push(item);
    panels.set(panelOf(item), list);
  }
  return panels;
}

function labelOf(variable: VariableModel): string | undefined {
  return variable.type === 'query' ? LABEL_VALUES.exec(variable.query ?? '')?.[1] : undefined;
}

function references(text: string, variable: string): boolean {
  return new RegExp(`\\$(?:${variable}\\b|\\{${variable}[}:])|\\[\\[${variable}\\]\\]`).test(text);
}

export const variableIgnored = defineCheck({
  id: 'dashboard/variable-ignored',
  severity: 'warning',
  doc: `A variable such as \`$environment\` (\`label_values(…, environment)\`) promises that the dashboard shows what
it selects. A panel whose queries read series that carry the label but never use the variable shows every
environment anyway: with "staging" selected, it still mixes in production. Each such panel is reported. Panels
whose series do not carry the label (a node exporter's memory on a service dashboard) are not: the variable cannot
apply to them. Every series carries the label of a deployment dimension set by \`external_labels\` (\`$cluster\`):
the central store dashboards read adds it, so every panel must filter by it. A log panel is reported when the catalogue's
log streams (\`defineLogStreams\`) carry the label and its LogQL never uses the variable. Filter the query by the variable (\`{environment=~"$environment"}\`; the dashboard builders'
\`filterSelectors\` adds it to every selector of a query), or say in a suppression why the panel shows them all.`,
  *run({ project }) {
    const panels = byPanel(project.queries, (entry) => entry.panel);
    const streamLabels = new Set(project.catalog?.logStreams?.labels.map((label) => label.name));
    const logPanels = byPanel(
      project.logQueries.flatMap(({ target, text }) =>
        target.kind === 'query' ? [{ ...target, text }] : [],
      ),
      (query) => query.panel,
    );
    for (const [panel, queries] of logPanels) {
      const { dashboard } = queries[0]!;
      for (const variable of dashboard.variables) {
        const label = labelOf(variable);
        if (!label || !streamLabels.has(label) || queries.some((q) => references(q.text, variable.name)))
          continue;
        yield {
          target: { kind: 'panel', dashboard, panel },
          message: `log panel "${panel.title}" ignores $${variable.name}: the log streams carry "${label}", but no query filters by it`,
          hint: `add ${label}=~"$${variable.name}" to its stream selector`,
        };
      }
    }
    for (const entries of panels.values()) {
      const { dashboard, panel } = entries[0]!;
      for (const variable of dashboard.variables) {
        const label = labelOf(variable);
        if (!label) continue;
        if (entries.some((e) => references(e.query.expr, variable.name))) continue;
        const carried =
          project.externalLabels.includes(label) ||
          nodesOf(
            project,
            'VectorSelector',
            entries.map((e) => e.expression),
          ).some(({ node }) => project.shapes.shape(node).labels.has(label));
        if (!carried) continue;
        yield {
          target: { kind: 'panel', dashboard, panel },
          message: `panel "${panel.title}" ignores $${variable.name}: its series carry "${label}", but no query filters by it`,
          hint: `add ${label}=~"$${variable.name}" to its selectors`,
        };
      }
    }
  },
});
