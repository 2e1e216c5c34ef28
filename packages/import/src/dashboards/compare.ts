import { isRecord, type Json, recordsOf } from '../json.ts';

const allObjects = (values: readonly unknown[]) => values.every(isRecord);

/**
 * What of `input` the `built` JSON does not reproduce, as an overlay for `.verbatim()`: objects keep
 * only differing keys, arrays of objects of the same length differ element by element (`{}` where an
 * element matches), anything else is the input's value. Keys only `built` has are defaults made
 * explicit, not differences. `undefined` when `built` reproduces the input.
 */
export function overlayOf(input: unknown, built: unknown, ignore: ReadonlySet<string> = new Set()): unknown {
  if (isRecord(input) && isRecord(built)) {
    const overlay: Json = {};
    for (const [key, value] of Object.entries(input)) {
      if (ignore.has(key) || value === undefined) continue;
      const difference = overlayOf(value, built[key]);
      if (difference !== undefined) overlay[key] = difference;
    }
    return Object.keys(overlay).length === 0 ? undefined : overlay;
  }
  if (Array.isArray(input) && Array.isArray(built)) {
    if (input.length === built.length && allObjects(input) && allObjects(built)) {
      const elements = input.map((item, index) => overlayOf(item, built[index]));
      return elements.every((e) => e === undefined) ? undefined : elements.map((e) => e ?? {});
    }
    return JSON.stringify(input) === JSON.stringify(built) ? undefined : input;
  }
  return JSON.stringify(input) === JSON.stringify(built) ? undefined : input;
}

/** The dotted paths an overlay sets (`options.legend.calcs`, `targets`), for the report. */
export function overlayPaths(overlay: unknown, prefix = ''): string[] {
  if (isRecord(overlay) && Object.keys(overlay).length > 0) {
    return Object.entries(overlay).flatMap(([key, value]) =>
      overlayPaths(value, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}

/** Fields of a dashboard that are not content: Grafana's own bookkeeping and the version of the model. */
export const DASHBOARD_BOOKKEEPING = new Set(['id', 'version', 'iteration', 'schemaVersion']);

/**
 * The semantic differences between an imported dashboard (as the import read it: exports resolved,
 * graphs migrated, collapsed rows expanded) and the dashboard its module built: panels in order
 * (ids aside), variables by name, every other field; fields only the build has are defaults made
 * explicit. Empty when the round trip holds.
 */
export function compareDashboards(input: Json, built: Json): string[] {
  const differences: string[] = [];
  const note = (where: string, overlay: unknown) => {
    for (const path of overlayPaths(overlay)) differences.push(`${where}${path ? ` ${path}` : ''}: differs`);
  };
  const rest = (json: Json) => {
    const { panels: _panels, templating: _templating, ...others } = json;
    return others;
  };
  const top = overlayOf(rest(input), rest(built), DASHBOARD_BOOKKEEPING);
  if (top !== undefined) note('dashboard', top);
  const variables = (json: Json) =>
    new Map(
      (isRecord(json.templating) && Array.isArray(json.templating.list) ? json.templating.list : [])
        .filter(isRecord)
        .map((v) => [String(v.name), v] as const),
    );
  const builtVariables = variables(built);
  for (const [name, variable] of variables(input)) {
    const other = builtVariables.get(name);
    if (!other) differences.push(`variable ${name}: missing from the build`);
    else {
      const overlay = overlayOf(variable, other);
      if (overlay !== undefined) note(`variable ${name}`, overlay);
    }
  }
  const panels = (json: Json) => recordsOf(json.panels);
  const inputPanels = panels(input);
  const builtPanels = panels(built);
  if (inputPanels.length !== builtPanels.length)
    differences.push(`panels: ${inputPanels.length} in the input, ${builtPanels.length} built`);
  inputPanels.forEach((panel, index) => {
    const overlay = overlayOf(panel, builtPanels[index], new Set(['id']));
    if (overlay !== undefined) note(`panel ${index} "${String(panel.title ?? '')}"`, overlay);
  });
  return differences;
}
