import { raw } from '@o11y/catalog';
import {
  dashboard as dashboardBuilder,
  folder as folderBuilder,
  gauge,
  panel as otherPanel,
  type Panel,
  slugify,
  stat,
  table,
  timeseries,
} from '@o11y/dashboards';
import { isRecord, type Json, recordsOf } from '../json.ts';
import { camelCase, constantCase, NameAllocator } from '../names.ts';
import type { PassthroughItem } from '../report.ts';
import type { PlannedFile } from '../write.ts';
import { DASHBOARD_BOOKKEEPING, overlayOf, overlayPaths } from './compare.ts';
import type { DashboardInput, FolderInput } from './load.ts';
import { planVariable } from './variables.ts';

const TYPED_PANELS = { timeseries, stat, table, gauge } as const;
type TypedKind = keyof typeof TYPED_PANELS;
const isTypedKind = (type: unknown): type is TypedKind => typeof type === 'string' && type in TYPED_PANELS;

/** What a module may call from @o11y/dashboards, in import order; no constant of the module takes these names. */
const DASHBOARD_IMPORTS = [
  'constantVariable',
  'customVariable',
  'dashboard',
  'datasourcePicker',
  'folder',
  'gauge',
  'intervalVariable',
  'labelValues',
  'panel',
  'stat',
  'table',
  'textboxVariable',
  'timeseries',
  'verbatimVariable',
  'withVerbatim',
];

/** Instant-by-default panels: a range query there says so. */
const INSTANT_PANELS = new Set(['stat', 'table', 'gauge']);
const UID = /^[a-zA-Z0-9_-]{1,40}$/;

/** One builder call, as code and as what it does to the builder in this process. */
interface Call<T> {
  readonly code: string;
  readonly apply: (target: T) => T;
}

interface PanelPlan {
  readonly title: string;
  readonly head: Call<undefined>;
  readonly calls: Call<Panel>[];
  readonly input: Json;
}

interface Section {
  readonly row?: Json;
  readonly panels: PanelPlan[];
}

/** A JS literal of JSON, with datasources written as the module's constants. */
class Literal {
  readonly datasources = new Map<string, { name: string; value: unknown }>();

  constructor(private readonly names: NameAllocator) {}

  write(value: unknown, key?: string): string {
    if (key === 'datasource' && value !== null && value !== undefined) return this.datasource(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.write(v)).join(', ')}]`;
    if (isRecord(value)) {
      const entries = Object.entries(value).map(
        ([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k)}: ${this.write(v, k)}`,
      );
      return `{ ${entries.join(', ')} }`;
    }
    return JSON.stringify(value) ?? 'undefined';
  }

  private datasource(value: unknown): string {
    const id = JSON.stringify(value);
    let entry = this.datasources.get(id);
    if (!entry) {
      const described = isRecord(value) ? (value.uid ?? value.type ?? 'datasource') : value;
      const stem = constantCase(String(described).replace(/^\$\{?|\}$/g, ''));
      entry = {
        name: this.names.take(stem.endsWith('DATASOURCE') ? stem : `${stem}_DATASOURCE`, '_'),
        value,
      };
      this.datasources.set(id, entry);
    }
    return entry.name;
  }

  declarations(): string[] {
    return [...this.datasources.values()].map(
      ({ name, value }) => `const ${name} = ${JSON.stringify(value)}${isRecord(value) ? ' as const' : ''};`,
    );
  }
}

const legendLabels = (legend: unknown) =>
  typeof legend === 'string'
    ? [...new Set([...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!))]
    : [];

function usesOnlyKnownVariables(expr: string, variables: ReadonlySet<string>): boolean {
  return [...expr.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)].every(
    ([, name]) => name!.startsWith('__') || variables.has(name!),
  );
}

/**
 * The typed calls of a panel: queries through `raw()` (dashboard PromQL holds `$variables` the typed
 * layer cannot spell), unit, description, thresholds as the module's constants, its place on the grid.
 * A panel whose targets are not all Prometheus queries, or whose type the builders lack, is a
 * `panel(type, title)` and keeps its targets verbatim.
 */
function planPanel(
  input: Json,
  variables: ReadonlySet<string>,
  constants: { names: NameAllocator; declared: string[] },
  literal: Literal,
): PanelPlan {
  const title = typeof input.title === 'string' && input.title.trim() !== '' ? input.title : 'Untitled';
  const type = input.type;
  const targets = recordsOf(input.targets);
  const prometheus =
    targets.length > 0 &&
    targets.every(
      (t) => typeof t.expr === 'string' && t.expr.trim() !== '' && usesOnlyKnownVariables(t.expr, variables),
    ) &&
    !(
      isRecord(input.datasource) &&
      input.datasource.type !== undefined &&
      input.datasource.type !== 'prometheus'
    );
  const calls: Call<Panel>[] = [];
  const typed = isTypedKind(type) && prometheus;
  const head: Call<undefined> = typed
    ? { code: `${type}(${JSON.stringify(title)})`, apply: () => undefined }
    : {
        code: `panel(${JSON.stringify(String(type ?? 'text'))}, ${JSON.stringify(title)})`,
        apply: () => undefined,
      };
  if (typeof input.description === 'string' && input.description !== '') {
    const text = input.description;
    calls.push({ code: `.description(${JSON.stringify(text)})`, apply: (p) => p.description(text) });
  }
  const defaults =
    isRecord(input.fieldConfig) && isRecord(input.fieldConfig.defaults) ? input.fieldConfig.defaults : {};
  if (typeof defaults.unit === 'string' && defaults.unit !== '') {
    const unit = defaults.unit;
    calls.push({ code: `.unit(${JSON.stringify(unit)})`, apply: (p) => p.unit(unit) });
  }
  if (typed) {
    for (const target of targets) {
      const expr = String(target.expr);
      const labels = legendLabels(target.legendFormat);
      const legend =
        typeof target.legendFormat === 'string' && target.legendFormat !== ''
          ? target.legendFormat
          : undefined;
      const options: { instant?: boolean; format?: 'table' | 'heatmap' | 'time_series' } = {};
      const instant = target.instant === true && target.range !== true;
      if (instant !== INSTANT_PANELS.has(String(type))) options.instant = instant;
      if (target.format === 'table' || target.format === 'heatmap') options.format = target.format;
      if (type === 'table' && target.format !== 'table') options.format = 'time_series';
      const labelsCode = labels.length > 0 ? `, { labels: ${JSON.stringify(labels)} }` : '';
      const optionsCode = Object.keys(options).length > 0 ? `, ${literal.write(options)}` : '';
      calls.push({
        code: `.query(raw(${JSON.stringify(expr)}${labelsCode})${legend === undefined && !optionsCode ? '' : `, ${legend === undefined ? 'undefined' : JSON.stringify(legend)}`}${optionsCode})`,
        apply: (p) => p.query(raw(expr, { labels }) as never, legend as never, options),
      });
    }
  }
  const thresholds = isRecord(defaults.thresholds) ? defaults.thresholds : {};
  const steps = recordsOf(thresholds.steps);
  if (
    (thresholds.mode ?? 'absolute') === 'absolute' &&
    steps.length > 1 &&
    steps[0]!.value === null &&
    steps[0]!.color === 'green' &&
    steps
      .slice(1)
      .every((s, i, rest) => typeof s.value === 'number' && (i === 0 || s.value > Number(rest[i - 1]!.value)))
  ) {
    for (const step of steps.slice(1)) {
      const value = Number(step.value);
      const color = typeof step.color === 'string' ? step.color : 'red';
      const name = constants.names.take(`${constantCase(title)}_${constantCase(color)}`, '_');
      constants.declared.push(`const ${name} = ${JSON.stringify(value)};`);
      calls.push({
        code: `.threshold(${name}${color === 'red' ? '' : `, { color: ${JSON.stringify(color)} }`})`,
        apply: (p) => p.threshold(value, { color }),
      });
    }
  }
  const grid = isRecord(input.gridPos) ? input.gridPos : {};
  const [x, y, w, h] = [grid.x, grid.y, grid.w, grid.h].map(Number);
  if (
    [x, y, w, h].every(Number.isInteger) &&
    x! >= 0 &&
    x! < 24 &&
    y! >= 0 &&
    w! >= 1 &&
    w! <= 24 &&
    h! >= 1
  ) {
    calls.push({ code: `.at(${x}, ${y}).span(${w}, ${h})`, apply: (p) => p.at(x!, y!).span(w!, h!) });
  }
  return { title, head, calls, input };
}

function instantiate(plan: PanelPlan): Panel {
  const type = plan.input.type;
  const typed = plan.head.code.startsWith(`${String(type)}(`) && isTypedKind(type);
  const start: Panel = typed
    ? TYPED_PANELS[type](plan.title)
    : otherPanel(String(type ?? 'text'), plan.title);
  return plan.calls.reduce((panel, call) => call.apply(panel), start);
}

export interface GeneratedDashboard {
  readonly module: PlannedFile;
  readonly passthrough: readonly PassthroughItem[];
  readonly normalisations: readonly string[];
  readonly lost: readonly string[];
  /** The input as the round trip compares it: read, migrated, collapsed rows expanded. */
  readonly compared: Json;
  readonly uid: string;
  /** The path of the folder the dashboard is built into; none for the root. */
  readonly folder?: string;
}

/**
 * The `.folder()` call of an imported dashboard: the folder's path is the slug of its title (of its
 * uid when the input names only that), its title kept. The builders derive folder uids from the path,
 * so an input uid other than that one is reported as not kept.
 */
function planFolder(
  given: FolderInput,
  constants: { names: NameAllocator; declared: string[] },
  normalisations: string[],
  lost: string[],
): (Call<ReturnType<typeof dashboardBuilder>> & { path: string }) | undefined {
  const path = slugify(given.title ?? given.uid ?? '');
  if (path === '') {
    lost.push(
      `folder "${given.title ?? given.uid}": no folder path can be made of it; give the dashboard one with .folder(folder(…))`,
    );
    return undefined;
  }
  const made = folderBuilder(path, given.title);
  const name = constants.names.take(`${constantCase(path)}_FOLDER`, '_');
  const call = `folder(${JSON.stringify(path)}${given.title === undefined ? '' : `, ${JSON.stringify(given.title)}`})`;
  constants.declared.push(`const ${name} = ${call};`);
  normalisations.push(
    given.title === undefined
      ? `folder uid ${given.uid} → ${call}, titled "${made.title}" (the resource names its folder by uid only)`
      : `folder "${given.title}" → ${call}`,
  );
  if (given.uid !== undefined && given.uid !== made.uid)
    lost.push(
      `folder uid ${given.uid}: the builders derive the uid ${made.uid} from the folder's path, so the dashboard is published into that folder (move the other dashboards of ${given.uid} there, or remove it)`,
    );
  return { code: `.folder(${name})`, apply: (d) => d.folder(made), path };
}

/** A collapsed row's panels are laid out after it, as the builders write rows. */
function expandCollapsedRows(json: Json, normalisations: string[]): Json {
  const panels: unknown[] = [];
  for (const panel of Array.isArray(json.panels) ? json.panels : []) {
    if (isRecord(panel) && panel.type === 'row' && Array.isArray(panel.panels) && panel.panels.length > 0) {
      normalisations.push(
        `row "${String(panel.title ?? '')}": collapsed row expanded (its panels follow it)`,
      );
      panels.push({ ...panel, collapsed: false, panels: [] }, ...panel.panels);
    } else if (isRecord(panel) && panel.type === 'row') panels.push({ ...panel, panels: [] });
    else panels.push(panel);
  }
  return { ...json, panels };
}

/**
 * One imported dashboard → a module of builder calls. The typed calls are run in this process; what
 * the built JSON still lacks of the input is carried by `.verbatim()` (panels, rows, the dashboard)
 * and listed in the report, so the module builds to the input by construction.
 */
export function generateDashboard(input: DashboardInput, modulePath: string): GeneratedDashboard {
  const normalisations = [...input.normalisations];
  const lost = [...input.lost];
  const json = expandCollapsedRows(input.json, normalisations);
  const title =
    typeof json.title === 'string' && json.title.trim() !== '' ? json.title : 'Imported dashboard';
  const exportName = camelCase(title);
  const names = new NameAllocator([exportName, 'raw', ...DASHBOARD_IMPORTS]);
  const literal = new Literal(names);
  const constants = { names, declared: [] as string[] };

  const variableJson = (
    isRecord(json.templating) && Array.isArray(json.templating.list) ? json.templating.list : []
  )
    .filter(isRecord)
    .filter(
      (v): v is Json & { name: string } =>
        typeof v.name === 'string' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v.name),
    );
  const variableNames = new Set(variableJson.map((v) => v.name));
  variableNames.add('datasource');
  const variables = variableJson.map((v) => ({
    json: v,
    name: names.take(`${camelCase(v.name)}Variable`),
    plan: planVariable(v, (value) => literal.write(value)),
  }));

  const sections: Section[] = [{ panels: [] }];
  for (const panel of (json.panels as unknown[]).filter(isRecord)) {
    if (panel.type === 'row') sections.push({ row: panel, panels: [] });
    else sections.at(-1)!.panels.push(planPanel(panel, variableNames, constants, literal));
  }
  if (sections[0]!.panels.length === 0) sections.shift();

  const dashboardCalls: Call<ReturnType<typeof dashboardBuilder>>[] = [];
  const uid = typeof json.uid === 'string' && UID.test(json.uid) ? json.uid : undefined;
  if (uid) dashboardCalls.push({ code: `.withUid(${JSON.stringify(uid)})`, apply: (d) => d.withUid(uid) });
  else normalisations.push('uid derived from the title (the input had none or an invalid one)');
  const folder = input.folder && planFolder(input.folder, constants, normalisations, lost);
  if (folder) dashboardCalls.push(folder);
  const tags = Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === 'string') : [];
  if (tags.length > 0)
    dashboardCalls.push({
      code: `.tags(${tags.map((t) => JSON.stringify(t)).join(', ')})`,
      apply: (d) => d.tags(...tags),
    });
  if (typeof json.description === 'string' && json.description !== '') {
    const text = json.description;
    dashboardCalls.push({ code: `.description(${JSON.stringify(text)})`, apply: (d) => d.description(text) });
  }
  const time = isRecord(json.time) ? json.time : {};
  if (typeof time.from === 'string' && typeof time.to === 'string') {
    const [from, to] = [time.from, time.to];
    dashboardCalls.push({
      code: `.time(${JSON.stringify(from)}${to === 'now' ? '' : `, ${JSON.stringify(to)}`})`,
      apply: (d) => d.time(from, to),
    });
  }
  if (typeof json.refresh === 'string') {
    const every = json.refresh;
    dashboardCalls.push({ code: `.refresh(${JSON.stringify(every)})`, apply: (d) => d.refresh(every) });
  }
  if (variables.length > 0) {
    dashboardCalls.push({
      code: `.variables(${variables.map((v) => v.name).join(', ')})`,
      apply: (d) => d.variables(...variables.map((v) => v.plan.variable)),
    });
  }

  // First build: typed calls only; what it lacks of the input becomes each panel's and row's overlay.
  const build = (
    panelOverlays: Map<PanelPlan, unknown>,
    rowOverlays: Map<Section, unknown>,
    top: unknown,
  ) => {
    let board = dashboardCalls.reduce((d, call) => call.apply(d), dashboardBuilder(title));
    for (const section of sections) {
      const panels = section.panels.map((plan) => {
        const panel = instantiate(plan);
        const overlay = panelOverlays.get(plan);
        return overlay === undefined ? panel : panel.verbatim(overlay as Json);
      });
      const rowOverlay = rowOverlays.get(section);
      if (section.row)
        board = board.row(
          String(section.row.title ?? ''),
          panels,
          rowOverlay === undefined ? {} : { verbatim: rowOverlay as Json },
        );
      else board = board.header(panels);
    }
    if (top !== undefined) board = board.verbatim(top as Json);
    return board.compile().json as unknown as Json;
  };
  const first = build(new Map(), new Map(), undefined);
  const builtPanels = (first.panels as Json[]) ?? [];
  const panelOverlays = new Map<PanelPlan, unknown>();
  const rowOverlays = new Map<Section, unknown>();
  let index = 0;
  for (const section of sections) {
    if (section.row) {
      const overlay = overlayOf(section.row, builtPanels[index++], new Set(['id']));
      if (overlay !== undefined) rowOverlays.set(section, overlay);
    }
    for (const plan of section.panels) {
      const overlay = overlayOf(plan.input, builtPanels[index++], new Set(['id']));
      if (overlay !== undefined) panelOverlays.set(plan, overlay);
    }
  }
  const withoutContent = (j: Json) => {
    const { panels: _p, templating: _t, ...rest } = j;
    return rest;
  };
  const top = overlayOf(withoutContent(json), withoutContent(first), DASHBOARD_BOOKKEEPING);

  const passthrough: PassthroughItem[] = [];
  const keep = (item: string, overlay: unknown) => {
    passthrough.push({
      module: modulePath,
      item,
      reason: `not modelled by the builders, kept with .verbatim(): ${overlayPaths(overlay).join(', ')}`,
    });
  };
  if (top !== undefined) keep('dashboard', top);
  for (const { json: variable, plan } of variables)
    if (plan.kept)
      passthrough.push({ module: modulePath, item: `variable ${variable.name}`, reason: plan.kept });
  for (const section of sections) {
    if (rowOverlays.has(section)) keep(`row "${String(section.row!.title ?? '')}"`, rowOverlays.get(section));
    for (const plan of section.panels) {
      if (!plan.head.code.startsWith(`${String(plan.input.type)}(`))
        passthrough.push({
          module: modulePath,
          item: `panel "${plan.title}" type ${String(plan.input.type)}`,
          reason: 'no builder for this panel type or its queries: panel(type, title)',
        });
      if (panelOverlays.has(plan)) keep(`panel "${plan.title}"`, panelOverlays.get(plan));
    }
  }
  normalisations.push('panel ids renumbered by the builder');
  normalisations.push(
    'fields the builders always write and the input lacked (defaults made explicit), e.g. the datasource picker, annotations, timezone, legendFormat __auto',
  );
  if (json.schemaVersion !== undefined)
    normalisations.push(`schemaVersion ${String(json.schemaVersion)} → the foundation SDK's`);

  const panelCode = (plan: PanelPlan) => {
    const overlay = panelOverlays.get(plan);
    return `${plan.head.code}${plan.calls.map((c) => c.code).join('')}${overlay === undefined ? '' : `.verbatim(${literal.write(overlay)})`}`;
  };
  const sectionCode = sections.map((section) => {
    const panels = `[${section.panels.map(panelCode).join(',\n')}]`;
    if (!section.row) return `.header(${panels})`;
    const overlay = rowOverlays.get(section);
    return `.row(${JSON.stringify(String(section.row.title ?? ''))}, ${panels}${overlay === undefined ? '' : `, { verbatim: ${literal.write(overlay)} }`})`;
  });
  const variableCode = variables.map((v) => `const ${v.name} = ${v.plan.code};`);
  const body = [
    `export const ${exportName} = dashboard(${JSON.stringify(title)})`,
    ...dashboardCalls.map((c) => c.code),
    ...sectionCode,
    ...(top === undefined ? [] : [`.verbatim(${literal.write(top)})`]),
  ].join('\n');
  const used = (name: string) =>
    new RegExp(`\\b${name}\\(`).test([body, ...variableCode, ...constants.declared].join('\n'));
  const dashboardImports = DASHBOARD_IMPORTS.filter(used);
  const content = [
    `// Imported by o11y import from ${input.file}${input.at ? ` (${input.at})` : ''}.`,
    `import { ${dashboardImports.join(', ')} } from '@o11y/dashboards';`,
    ...(used('raw') ? ["import { raw } from '@o11y/catalog';"] : []),
    '',
    ...literal.declarations(),
    ...constants.declared,
    ...variableCode,
    '',
    `${body};`,
    '',
  ].join('\n');
  return {
    module: { path: modulePath, content },
    passthrough,
    normalisations,
    lost,
    compared: json,
    uid: uid ?? String(build(panelOverlays, rowOverlays, top).uid),
    ...(folder && { folder: folder.path }),
  };
}
