/**
 * Grafana's dashboard layout, computed once on the Node side: rows (collapsed ones expanded in
 * place, as clicking them in Grafana would), repeated panels and rows resolved for the selected
 * variable values, and the vertical compaction of Grafana's grid (react-grid-layout, `vertical`).
 */
import type { GridPosJson, PanelJson } from './dashboard-json.ts';

export const GRID_COLUMNS = 24;

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LaidOutPanel {
  /** Unique on the page: the panel id, plus the repeat value for clones. */
  readonly key: string;
  readonly panel: PanelJson;
  readonly gridPos: GridPos;
  /** Variable values that belong to this panel alone: the value a repeat clone stands for. */
  readonly scoped: Readonly<Record<string, string>>;
  /** For row headers: whether the dashboard keeps the row collapsed. */
  readonly collapsedRow?: boolean;
}

function gridPosOf(json: GridPosJson | undefined, isRow: boolean): GridPos {
  return {
    x: json?.x ?? 0,
    y: json?.y ?? 0,
    w: isRow ? GRID_COLUMNS : (json?.w ?? 12),
    h: isRow ? 1 : (json?.h ?? 8),
  };
}

interface Section {
  readonly row?: PanelJson;
  readonly panels: PanelJson[];
}

/** Splits the top-level panels into the part above the first row and one section per row. */
function sections(panels: readonly PanelJson[]): Section[] {
  const result: Section[] = [{ panels: [] }];
  for (const panel of panels) {
    if (panel.type === 'row')
      result.push({ row: panel, panels: panel.collapsed ? [...(panel.panels ?? [])] : [] });
    else result[result.length - 1]!.panels.push(panel);
  }
  return result;
}

/** Horizontal or vertical clones of a repeated panel, as Grafana's DashboardModel.repeatPanel places them. */
function repeatPanel(
  panel: PanelJson,
  base: GridPos,
  values: readonly string[],
  key: string,
): Array<{ panel: PanelJson; gridPos: GridPos; scoped: Record<string, string>; key: string }> {
  const variable = panel.repeat!;
  if (values.length === 0) return [{ panel, gridPos: base, scoped: {}, key }];
  const vertical = panel.repeatDirection === 'v';
  const maxPerRow = panel.maxPerRow ?? 4;
  const width = Math.max(Math.floor(GRID_COLUMNS / values.length), Math.floor(GRID_COLUMNS / maxPerRow));
  let x = 0;
  let y = base.y;
  return values.map((value) => {
    let gridPos: GridPos;
    if (vertical) {
      gridPos = { ...base, y };
      y += base.h;
    } else {
      if (x + width > GRID_COLUMNS) {
        x = 0;
        y += base.h;
      }
      gridPos = { x, y, w: width, h: base.h };
      x += width;
    }
    return { panel, gridPos, scoped: { [variable]: value }, key: `${key}:${value}` };
  });
}

/**
 * Every panel and row header of the dashboard with its grid position, in reading order.
 * `valuesOf(name)` gives a variable's selected values, for repeats.
 */
export function layoutDashboard(
  panels: readonly PanelJson[],
  valuesOf: (variable: string) => readonly string[],
): LaidOutPanel[] {
  const placed: LaidOutPanel[] = [];
  let cursor = 0;
  sections(panels).forEach((section, sectionIndex) => {
    const rowValues = section.row?.repeat ? valuesOf(section.row.repeat) : [undefined];
    const repeats = rowValues.length === 0 ? [undefined] : rowValues;
    for (const rowValue of repeats) {
      const rowScope: Record<string, string> =
        rowValue === undefined || !section.row?.repeat ? {} : { [section.row.repeat]: rowValue };
      const suffix = rowValue === undefined ? '' : `:${rowValue}`;
      if (section.row) {
        placed.push({
          key: `row-${section.row.id ?? sectionIndex}${suffix}`,
          panel: section.row,
          gridPos: { x: 0, y: cursor, w: GRID_COLUMNS, h: 1 },
          scoped: rowScope,
          collapsedRow: section.row.collapsed === true,
        });
        cursor += 1;
      }
      // Panels keep their positions relative to the section's top.
      const top = Math.min(...section.panels.map((p) => gridPosOf(p.gridPos, false).y));
      let bottom = cursor;
      section.panels.forEach((panel, index) => {
        const own = gridPosOf(panel.gridPos, false);
        const base = { ...own, y: cursor + own.y - top };
        const key = `panel-${panel.id ?? `${sectionIndex}.${index}`}${suffix}`;
        const clones = panel.repeat
          ? repeatPanel(panel, base, valuesOf(panel.repeat), key)
          : [{ panel, gridPos: base, scoped: {}, key }];
        for (const clone of clones) {
          placed.push({ ...clone, scoped: { ...rowScope, ...clone.scoped } });
          bottom = Math.max(bottom, clone.gridPos.y + clone.gridPos.h);
        }
      });
      cursor = bottom;
    }
  });
  return compact(placed);
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** react-grid-layout's vertical compaction: in (y, x) order, every item rises until it touches another. */
function compact(panels: readonly LaidOutPanel[]): LaidOutPanel[] {
  const order = panels
    .map((panel, index) => ({ panel, index }))
    .sort(
      (a, b) =>
        a.panel.gridPos.y - b.panel.gridPos.y || a.panel.gridPos.x - b.panel.gridPos.x || a.index - b.index,
    );
  const settled: LaidOutPanel[] = [];
  for (const { panel } of order) {
    let y = panel.gridPos.y;
    while (y > 0 && !settled.some((other) => overlaps({ ...panel.gridPos, y: y - 1 }, other.gridPos))) y -= 1;
    // Push down past anything it still overlaps (clones can land on panels placed below them).
    let collision = settled.find((other) => overlaps({ ...panel.gridPos, y }, other.gridPos));
    while (collision) {
      y = collision.gridPos.y + collision.gridPos.h;
      collision = settled.find((other) => overlaps({ ...panel.gridPos, y }, other.gridPos));
    }
    settled.push({ ...panel, gridPos: { ...panel.gridPos, y } });
  }
  return settled;
}
