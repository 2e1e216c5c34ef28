import * as sdk from '@grafana/grafana-foundation-sdk/dashboard';
import {
  captureSource,
  type DashboardModel,
  DEFINITION,
  type Definition,
  O11yError,
  O11yErrors,
  type PanelModel,
  type SourceLocation,
} from '@o11y/core';
import { GRAFANA_BUILT_IN } from './datasources.ts';
import type { Folder } from './folder.ts';
import { type BuildCompletion, builderSource, runCompletion } from './from-build.ts';
import type { Panel } from './panel.ts';
import { PromQuery } from './query.ts';
import { isValidUid, MAX_UID_LENGTH, uidFrom } from './uid.ts';
import { pickerAt, type Variable } from './variables.ts';
import { mergeVerbatim } from './verbatim.ts';

export const DASHBOARD_KIND = 'grafana-dashboard';

interface Row {
  readonly title: string | undefined;
  readonly panels: readonly Panel[];
  readonly source: SourceLocation;
  readonly verbatim?: Readonly<Record<string, unknown>>;
}

export interface RowOptions {
  /** Raw Grafana row JSON merged over the built row (`repeat`, `collapsed`, a fixed `gridPos`). */
  readonly verbatim?: Readonly<Record<string, unknown>>;
}

interface Link {
  readonly title: string;
  readonly build: () => sdk.DashboardLinkBuilder;
}

/** Content of a dashboard that depends on the build, added to a copy of it at every build (`Dashboard.eachBuild`). */
interface BuildDraft {
  readonly source: SourceLocation;
  readonly fill: (definitions: readonly Definition[], dashboard: Dashboard) => void;
}

/** A dashboard and where each panel of its JSON was defined, as the emitter and `verify` need it. */
export interface CompiledDashboard {
  readonly definition: Dashboard;
  readonly json: sdk.Dashboard;
  readonly model: DashboardModel;
  /** `panels[i]` of the JSON → the panel builder it came from (rows map to undefined). */
  readonly panelAt: readonly (Panel | undefined)[];
  /** JSON pointers of what `verbatim()` and `verbatimVariable()` wrote (`/panels/3/options`, `/gnetId`). */
  readonly verbatimPaths: readonly string[];
}

/** What verify needs of a panel to point at its TypeScript lines: its title, its and its queries' sources. */
export interface PanelOrigin {
  readonly title: string;
  readonly source: SourceLocation;
  readonly queries: readonly { readonly source: SourceLocation }[];
}

/**
 * What verify keeps of a compiled dashboard to point a problem of its written JSON at a TypeScript line:
 * the sources, not the builders, which a build's SLO dashboards (`eachBuild`) would keep until verify ends.
 */
export interface DashboardOrigins {
  readonly source: SourceLocation;
  /** `panels[i]` of the JSON → its panel (rows map to undefined). */
  readonly panelAt: readonly (PanelOrigin | undefined)[];
  readonly verbatimPaths: readonly string[];
}

/** The origins of a compiled dashboard, and `origin` for its other maps of panels (the v2 elements'). */
export function originsOf(compiled: CompiledDashboard): {
  readonly origins: DashboardOrigins;
  readonly origin: (panel: Panel) => PanelOrigin;
} {
  const made = new Map<Panel, PanelOrigin>();
  const origin = (panel: Panel) => {
    let found = made.get(panel);
    if (!found) {
      const { title, source } = panel;
      found = { title, source, queries: panel.queries.map((query) => ({ source: query.source })) };
      made.set(panel, found);
    }
    return found;
  };
  const { definition, panelAt, verbatimPaths } = compiled;
  const origins = {
    source: definition.source,
    panelAt: panelAt.map((panel) => panel && origin(panel)),
    verbatimPaths,
  };
  return { origins, origin };
}

/**
 * A Grafana dashboard as a definition of the build. It wraps the foundation SDK's DashboardBuilder
 * and adds the conventions as defaults: a datasource variable, a deployments annotation, the
 * built-in alerts annotation, a uid derived from the title, unique panel ids and an automatic grid
 * laid out in rows. Export it (or an array of them) from a module under `dashboards/`.
 */
export class Dashboard implements Definition {
  readonly [DEFINITION] = DASHBOARD_KIND;
  readonly source: SourceLocation;
  readonly title: string;
  private uidValue: string;
  private folderValue: Folder | undefined;
  private tagList: string[] = [];
  private descriptionText: string | undefined;
  private readonly variableList: Variable[] = [];
  private readonly rows: Row[] = [];
  private readonly linkList: Link[] = [];
  private deploymentTags: readonly string[] = ['deployment'];
  private timeRange = { from: 'now-6h', to: 'now' };
  private refreshEvery = '1m';
  private readonly configureSdk: ((builder: sdk.DashboardBuilder) => void)[] = [];
  private verbatimFields: Readonly<Record<string, unknown>> = {};
  private readonly completions: BuildCompletion[] = [];
  private completed = false;
  private readonly buildDrafts: BuildDraft[] = [];

  constructor(title: string, source: SourceLocation = captureSource()) {
    if (title.trim() === '') throw new O11yError('a dashboard needs a title', { source });
    this.title = title;
    this.source = source;
    this.uidValue = uidFrom(title);
  }

  get uid(): string {
    return this.uidValue;
  }

  get folderOf(): Folder | undefined {
    return this.folderValue;
  }

  get panels(): readonly Panel[] {
    return this.rows.flatMap((r) => r.panels);
  }

  /** Overrides the uid derived from the title (keep it stable: links and bookmarks use it). */
  withUid(uid: string): this {
    if (!isValidUid(uid)) {
      throw new O11yError(`uid "${uid}" is not a valid Grafana uid`, {
        source: captureSource(),
        hint: `use at most ${MAX_UID_LENGTH} letters, digits, - and _`,
      });
    }
    this.uidValue = uid;
    return this;
  }

  folder(folder: Folder): this {
    this.folderValue = folder;
    return this;
  }

  tags(...tags: string[]): this {
    this.tagList.push(...tags);
    return this;
  }

  description(text: string): this {
    this.descriptionText = text;
    return this;
  }

  time(from: string, to = 'now'): this {
    this.timeRange = { from, to };
    return this;
  }

  refresh(every: string): this {
    this.refreshEvery = every;
    return this;
  }

  variables(...variables: Variable[]): this {
    for (const variable of variables) {
      if (this.variableList.some((v) => v.name === variable.name)) {
        throw new O11yError(`variable $${variable.name} is defined twice`, { source: variable.source });
      }
      this.variableList.push(variable);
    }
    return this;
  }

  /**
   * Content that depends on what the whole build collects, from whichever module defines it (every SLO
   * of the build): `fill` runs once, when the build emits the dashboards, with every definition. What
   * it adds points at this line.
   */
  fromBuild(fill: (definitions: readonly Definition[]) => void): this {
    this.completions.push({ source: captureSource(), fill });
    return this;
  }

  /**
   * Like `fromBuild`, for content that changes only this dashboard (its rows, variables, tags,
   * description, time range): `fill` completes a copy of it at every build, which is compiled in its
   * place, so the definition keeps nothing of any build. A large organisation's SLO dashboards keep
   * tens of megabytes of panels otherwise, and a later build with other SLOs gets its own.
   */
  eachBuild(fill: (definitions: readonly Definition[], dashboard: Dashboard) => void): this {
    this.buildDrafts.push({ source: captureSource(), fill });
    return this;
  }

  /**
   * The dashboard as the build's definitions complete it, for the emitter to compile: the `fromBuild`
   * fills run once, on this dashboard; the `eachBuild` fills on a copy of it, returned in its place.
   */
  completedBy(definitions: readonly Definition[]): Dashboard {
    if (!this.completed) {
      this.completed = true;
      for (const completion of this.completions) runCompletion(completion, definitions);
    }
    if (this.buildDrafts.length === 0) return this;
    const draft = this.copy();
    for (const { source, fill } of this.buildDrafts)
      runCompletion({ source, fill: (all) => fill(all, draft) }, definitions);
    return draft;
  }

  /** A dashboard like this one, whose own lists can grow without changing this one's; no fills. */
  private copy(): Dashboard {
    const copy = new Dashboard(this.title, this.source);
    copy.uidValue = this.uidValue;
    copy.folderValue = this.folderValue;
    copy.tagList = [...this.tagList];
    copy.descriptionText = this.descriptionText;
    copy.variableList.push(...this.variableList);
    copy.rows.push(...this.rows);
    copy.linkList.push(...this.linkList);
    copy.deploymentTags = this.deploymentTags;
    copy.timeRange = this.timeRange;
    copy.refreshEvery = this.refreshEvery;
    copy.configureSdk.push(...this.configureSdk);
    copy.verbatimFields = this.verbatimFields;
    copy.completed = true;
    return copy;
  }

  /** A row of panels laid out left to right, wrapping at 24 columns. */
  row(title: string, panels: readonly Panel[], options: RowOptions = {}): this {
    this.rows.push({
      title,
      panels,
      source: builderSource(),
      ...(options.verbatim && { verbatim: options.verbatim }),
    });
    return this;
  }

  /** Panels above the first row (e.g. headline stats). */
  header(panels: readonly Panel[]): this {
    if (this.rows.length > 0) {
      throw new O11yError('header() must come before the first row()', { source: captureSource() });
    }
    this.rows.push({ title: undefined, panels, source: builderSource() });
    return this;
  }

  /** A link to another dashboard of the build, keeping the time range and variables. */
  linkTo(target: Dashboard, title: string = target.title): this {
    this.linkList.push({
      title,
      build: () =>
        new sdk.DashboardLinkBuilder(title)
          .type(sdk.DashboardLinkType.Link)
          .url(`/d/${target.uid}`)
          .icon('dashboard')
          .includeVars(true)
          .keepTime(true),
    });
    return this;
  }

  /** A dropdown of every dashboard carrying a tag (e.g. all dashboards of a service). */
  linkTagged(tag: string, title: string): this {
    this.linkList.push({
      title,
      build: () =>
        new sdk.DashboardLinkBuilder(title)
          .type(sdk.DashboardLinkType.Dashboards)
          .tags([tag])
          .asDropdown(true)
          .includeVars(true)
          .keepTime(true),
    });
    return this;
  }

  /** A link to a runbook or any documentation page. */
  runbook(url: string, title = 'Runbook'): this {
    this.linkList.push({
      title,
      build: () =>
        new sdk.DashboardLinkBuilder(title)
          .type(sdk.DashboardLinkType.Link)
          .url(url)
          .icon('doc')
          .targetBlank(true),
    });
    return this;
  }

  /** Tags of the Grafana annotations (posted by CI on each deploy) shown as deployment markers. */
  deployments(...tags: string[]): this {
    this.deploymentTags = tags;
    return this;
  }

  /** Direct access to the foundation-SDK dashboard builder for settings the conventions do not cover. */
  configure(configure: (builder: sdk.DashboardBuilder) => void): this {
    this.configureSdk.push(configure);
    return this;
  }

  /**
   * Raw dashboard JSON merged over what the builder writes (objects field by field, anything else
   * replaced): the escape hatch for settings the builder does not model, as `o11y import` writes them.
   */
  verbatim(fields: Readonly<Record<string, unknown>>): this {
    this.verbatimFields = mergeVerbatim(this.verbatimFields, fields) as Record<string, unknown>;
    return this;
  }

  /**
   * Checks that the dashboard can work (panels with queries, defined variables) and builds the Grafana
   * JSON with the foundation SDK. Conventions (descriptions, units, size) are lint's checks.
   */
  compile(): CompiledDashboard {
    const panels = this.panels;
    this.checkWellFormed(panels);
    const builder = new sdk.DashboardBuilder(this.title)
      .uid(this.uidValue)
      .tags([...new Set(this.tagList)])
      .time(this.timeRange)
      .refresh(this.refreshEvery)
      .timezone('browser')
      .tooltip(sdk.DashboardCursorSync.Crosshair)
      .readonly();
    if (this.descriptionText) builder.description(this.descriptionText);
    for (const variable of this.allVariables(panels)) builder.withVariable(variable.sdk);
    builder.annotation(builtInAnnotation()).annotation(deploymentAnnotation(this.deploymentTags));
    for (const link of this.linkList) builder.link(link.build());
    for (const configure of this.configureSdk) configure(builder);

    const panelAt: (Panel | undefined)[] = [];
    const rowAt: (Row | undefined)[] = [];
    let id = 1;
    for (const row of this.rows) {
      if (row.title !== undefined) {
        builder.withRow(new sdk.RowBuilder(row.title).id(id++).collapsed(false));
        panelAt.push(undefined);
        rowAt[panelAt.length - 1] = row;
      }
      for (const panel of row.panels) {
        builder.withPanel(panel.toSdk(id++));
        panelAt.push(panel);
      }
    }
    const built = builder.build();
    for (const rowJson of built.panels ?? [])
      if (rowJson.type === 'row') (rowJson as sdk.RowPanel).panels = [];
    const verbatimPaths = Object.keys(this.verbatimFields).map((key) => `/${key}`);
    built.panels = (built.panels ?? []).map((panelJson, index) => {
      const panel = panelAt[index];
      const verbatim = panel?.verbatimOf ?? rowAt[index]?.verbatim;
      // A panel of a type the SDK does not model is raw JSON as a whole.
      if (panel && !panel.needsQuery) verbatimPaths.push(`/panels/${index}`);
      else for (const key of Object.keys(verbatim ?? {})) verbatimPaths.push(`/panels/${index}/${key}`);
      return verbatim ? (mergeVerbatim(panelJson, verbatim) as typeof panelJson) : panelJson;
    });
    const variables = this.allVariables(panels);
    (built.templating?.list ?? []).forEach((variable, index) => {
      const defined = variables.find((v) => v.name === variable.name);
      if (defined?.verbatim) verbatimPaths.push(`/templating/list/${index}`);
      else
        for (const key of defined?.verbatimKeys ?? []) verbatimPaths.push(`/templating/list/${index}/${key}`);
    });
    const json = mergeVerbatim(built, this.verbatimFields) as sdk.Dashboard;
    return { definition: this, json, model: this.model(json, panelAt), panelAt, verbatimPaths };
  }

  private allVariables(panels: readonly Panel[]): Variable[] {
    const pickers = [pickerAt('prometheus', this.source)];
    if (panels.some((p) => p.datasource === 'loki')) pickers.push(pickerAt('loki', this.source));
    return [
      ...pickers.filter((p) => !this.variableList.some((v) => v.name === p.name)),
      ...this.variableList,
    ];
  }

  private checkWellFormed(panels: readonly Panel[]): void {
    const problems: O11yError[] = [];
    if (panels.length === 0) {
      problems.push(new O11yError(`dashboard "${this.title}" has no panels`, { source: this.source }));
    }
    const known = new Set([...this.allVariables(panels).map((v) => v.name)]);
    for (const panel of panels) {
      const where = `panel "${panel.title}"`;
      if (panel.queries.length === 0 && panel.needsQuery) {
        problems.push(
          new O11yError(`${where} has no query`, { source: panel.source, id: 'dashboards/panel-query' }),
        );
      }
      for (const query of panel.queries) {
        const text = query instanceof PromQuery ? query.promql : query.logql;
        for (const [, name] of text.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
          if (!name!.startsWith('__') && !known.has(name!)) {
            problems.push(
              new O11yError(`${where} uses $${name}, which the dashboard does not define`, {
                source: query.source,
                id: 'dashboards/unknown-variable',
                hint: `add it with .variables(labelValues('${name}', …))`,
              }),
            );
          }
        }
      }
    }
    if (problems.length === 1) throw problems[0];
    if (problems.length > 1) throw new O11yErrors(problems.map((p) => p.toDiagnostic()));
  }

  private model(json: sdk.Dashboard, panelAt: readonly (Panel | undefined)[]): DashboardModel {
    const panelModels: PanelModel[] = [];
    (json.panels ?? []).forEach((panelJson, index) => {
      const panel = panelAt[index];
      if (!panel) return;
      const built = panelJson as sdk.Panel;
      const targets = (built.targets ?? []) as unknown as {
        refId: string;
        expr: string;
        legendFormat?: string;
        interval?: string;
        datasource?: unknown;
      }[];
      panelModels.push({
        id: built.id!,
        title: panel.title,
        type: built.type,
        ...(panel.unitOf && { unit: panel.unitOf }),
        ...(panel.descriptionOf && { description: panel.descriptionOf }),
        datasource: built.datasource,
        queries: panel.queries.map((query, i) => {
          const target = targets[i]!;
          return {
            refId: target.refId,
            expr: target.expr,
            ...(target.legendFormat !== undefined && { legendFormat: target.legendFormat }),
            ...(target.interval !== undefined && { interval: target.interval }),
            datasource: target.datasource,
            source: query.source,
            ...(query instanceof PromQuery && query.raw && { raw: true }),
          };
        }),
        thresholds: panel.thresholds.map((t) => t.value),
        source: panel.source,
      });
    });
    return {
      uid: this.uidValue,
      title: this.title,
      ...(this.folderValue && { folder: this.folderValue.path }),
      variables: this.allVariables(this.panels).map((v) => v.model),
      panels: panelModels,
      source: this.source,
    };
  }
}

function builtInAnnotation(): sdk.AnnotationQueryBuilder {
  return new sdk.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .datasource(GRAFANA_BUILT_IN)
    .builtIn(1)
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .type('dashboard');
}

/** Deployment markers: Grafana annotations that CI posts with these tags on every deploy. */
function deploymentAnnotation(tags: readonly string[]): sdk.AnnotationQueryBuilder {
  const target = { type: 'tags', tags: [...tags], matchAny: false, limit: 100 };
  return new sdk.AnnotationQueryBuilder()
    .name('Deployments')
    .datasource(GRAFANA_BUILT_IN)
    .enable(true)
    .iconColor('purple')
    .target({ build: () => target as never });
}

/** `dashboard('Payments · RED')`: a new dashboard definition, remembering the line that created it. */
export function dashboard(title: string): Dashboard {
  return new Dashboard(title, captureSource());
}
