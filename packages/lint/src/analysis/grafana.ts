import type { QueryEntry } from '../project.ts';

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function panelsOf(owner: unknown): Json[] {
  const panels = isObject(owner) && Array.isArray(owner.panels) ? owner.panels.filter(isObject) : [];
  // A collapsed row keeps its panels inside it.
  return panels.flatMap((panel) => (panel.type === 'row' ? panelsOf(panel) : [panel]));
}

/**
 * The Grafana JSON of a dashboard query's target (emitted by the builders or read from a file), for
 * the fields the neutral model does not carry, such as the query's min step (`interval`).
 */
export function grafanaTarget({ dashboard, panel, query }: QueryEntry): Json | undefined {
  const panelJson = panelsOf(dashboard.json).find((p) => p.id === panel.id);
  const targets = Array.isArray(panelJson?.targets) ? panelJson.targets.filter(isObject) : [];
  return targets.find((t) => t.refId === query.refId);
}
