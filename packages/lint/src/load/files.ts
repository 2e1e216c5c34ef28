import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  compareCodePoints,
  type DashboardModel,
  type Diagnostic,
  O11yError,
  type ProjectModel,
  type RuleGroupModel,
} from '@o11y/core';
import { parseLogql } from '@o11y/logql';
import {
  init,
  parse,
  type RuleFileProblem,
  type RuleFileTree,
  ruleFileTrees,
  validateRuleFiles,
} from '@o11y/promql';
import { isScalar, type Node, YAMLMap } from 'yaml';
import { type AlertmanagerSource, isAlertmanagerConfig } from './alertmanager-file.ts';
import {
  isClassicDashboard,
  isV2Dashboard,
  loadClassicDashboard,
  loadV2Dashboard,
} from './dashboard-file.ts';
import { asMap, type ExpressionOrigin, field, items, PositionedDocument, text } from './document.ts';
import { loadRuleGroups } from './rule-file.ts';

/** A rule file (or a resource's rule groups) as written, for the checks that judge the file itself. */
export interface RuleFileSource {
  readonly document: PositionedDocument;
  /** The map holding `groups`: the document (read again on use when `validated`), or a PrometheusRule's `spec`. */
  readonly node: Node;
  /**
   * What upstream's rulefmt says of the whole file, when the file is this rule file and nothing else:
   * asked before any YAML of the run was read, so it is ready when the checks need it.
   */
  readonly validated?: Promise<readonly RuleFileProblem[]>;
}

/** What plain files hold beyond the project model: the rule files and Alertmanager configurations themselves. */
export interface PlainSources {
  readonly ruleFiles: readonly RuleFileSource[];
  readonly alertmanagers: readonly AlertmanagerSource[];
}

export interface LoadedFiles {
  readonly model: ProjectModel;
  /** Where each expression's characters are in its file, so carets point at the exact file:line:column. */
  readonly origins: ReadonlyMap<object, ExpressionOrigin>;
  readonly sources: PlainSources;
  /** Files that could not be read, or that were named but hold nothing lint reads. */
  readonly problems: readonly Diagnostic[];
}

interface Collected {
  groups: RuleGroupModel[];
  /** Groups of Loki ruler files: LogQL, for the logql/* checks. */
  lokiGroups: RuleGroupModel[];
  dashboards: DashboardModel[];
  origins: Map<object, ExpressionOrigin>;
  ruleFiles: RuleFileSource[];
  alertmanagers: AlertmanagerSource[];
  problems: Diagnostic[];
  /** The root of the file being read, when it holds one document, and what the validator says of all of it. */
  whole?: { readonly root: Node; readonly validated: Promise<readonly RuleFileProblem[]> };
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];

function expand(target: string): string[] {
  const info = statSync(target);
  if (!info.isDirectory()) return [target];
  const found: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) =>
    compareCodePoints(a.name, b.name),
  )) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) found.push(...expand(full));
    else if (EXTENSIONS.includes(path.extname(entry.name))) found.push(full);
  }
  return found;
}

/** `metadata.name` and the folder annotation of a Kubernetes-style resource. */
function resourceMeta(resource: YAMLMap | undefined): { uid?: string; folder?: string } {
  const metadata = asMap(field(resource, 'metadata'));
  const uid = text(metadata, 'name');
  const folder = text(asMap(field(metadata, 'annotations')), 'grafana.app/folder');
  return { ...(uid !== undefined && { uid }), ...(folder !== undefined && { folder }) };
}

/**
 * Reads one document into `into` by what it is: a rule file (also a Mimir namespace), a Grafana
 * dashboard (the JSON model, an API export, `dashboard.grafana.app` v1 and v2 resources, legacy
 * `rows`), an Alertmanager configuration, or Kubernetes resources holding those: a PrometheusRule, a
 * ConfigMap whose data are dashboards or rule files, a `List` of any of them. Returns whether it
 * found anything; other Kubernetes resources are not lint's business and are skipped quietly.
 */
function loadDocument(document: PositionedDocument, node: Node | null, into: Collected): boolean {
  const root = asMap(node);
  if (!root) return false;
  const kind = text(root, 'kind');
  const apiVersion = text(root, 'apiVersion') ?? '';
  const spec = asMap(field(root, 'spec'));
  if (kind === 'List' || (kind?.endsWith('List') && field(root, 'items')))
    return items(field(root, 'items'))
      .map((item) => loadDocument(document, item, into))
      .reduce((a, b) => a || b, false);
  if (kind === 'ConfigMap' || kind === 'Secret') {
    let found = false;
    for (const pair of asMap(field(root, 'data'))?.items ?? []) {
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
      const embedded = PositionedDocument.parseAll(
        document.file,
        pair.value.value,
        document.origin(pair.value),
      );
      // A value that is not YAML or JSON (a script, a config of something else) is not lint's business.
      if (embedded.errors.length > 0) continue;
      for (const inner of embedded.roots) found = loadDocument(embedded.document, inner, into) || found;
    }
    return found;
  }
  if (apiVersion.startsWith('dashboard.grafana.app/') && spec) {
    const loaded = isV2Dashboard(spec)
      ? loadV2Dashboard(document, spec, resourceMeta(root))
      : loadClassicDashboard(document, spec, resourceMeta(root));
    into.dashboards.push(loaded.dashboard);
    for (const [query, origin] of loaded.origins) into.origins.set(query, origin);
    return true;
  }
  const groupsOwner = field(root, 'groups') ? root : kind === 'PrometheusRule' && spec ? spec : undefined;
  if (groupsOwner) {
    const loaded = loadRuleGroups(document, field(groupsOwner, 'groups')!);
    if (isLokiRuleFile(loaded.groups)) {
      // Loki's ruler reads the same format with LogQL expressions; Prometheus would refuse the file.
      into.lokiGroups.push(...loaded.groups);
      for (const [rule, origin] of loaded.origins) into.origins.set(rule, origin);
      return true;
    }
    into.groups.push(...loaded.groups);
    for (const [rule, origin] of loaded.origins) into.origins.set(rule, origin);
    // A Mimir namespace file adds `namespace` beside `groups`, which Prometheus itself would refuse.
    if (!field(root, 'namespace')) {
      into.ruleFiles.push(
        groupsOwner === into.whole?.root
          ? wholeRuleFile(document, into.whole.validated)
          : { document, node: groupsOwner },
      );
    }
    return true;
  }
  const dashboard = asMap(field(root, 'dashboard'));
  if (isClassicDashboard(dashboard) || isClassicDashboard(root)) {
    // An API export wraps the dashboard and names its folder beside it.
    const folder = text(root, 'folder') ?? text(asMap(field(root, 'meta')), 'folderTitle');
    const loaded = loadClassicDashboard(
      document,
      isClassicDashboard(dashboard) ? dashboard! : root,
      folder === undefined ? {} : { folder },
    );
    into.dashboards.push(loaded.dashboard);
    for (const [query, origin] of loaded.origins) into.origins.set(query, origin);
    return true;
  }
  if (isAlertmanagerConfig(root)) {
    into.alertmanagers.push({ document, root });
    return true;
  }
  return false;
}

/**
 * A Loki ruler file, told from a Prometheus one by its first expression that Grafana's LogQL grammar
 * reads and Prometheus's parser does not. The first expression LogQL cannot read makes it Prometheus's
 * file, and so does an expression read both ways (`sum(rate({job="x"}[5m]))`) followed by nothing
 * else: Prometheus accepts those. (A Loki file whose first expression is broken LogQL is thus judged as
 * PromQL.) Prometheus's own files are decided by their first expression, without a PromQL parse.
 */
function isLokiRuleFile(groups: readonly RuleGroupModel[]): boolean {
  for (const group of groups) {
    for (const { expr } of group.rules) {
      if (namesMetricSelector(expr) || !parseLogql(expr).ok) return false;
      if (!parse(expr).ok) return true;
    }
  }
  return false;
}

/**
 * Whether `expr` has a metric name right before a selector's `{` (`up{job="x"}`), outside strings:
 * PromQL that LogQL, whose stream selectors stand alone (`{job="x"}`), cannot read. Tells most
 * Prometheus files from Loki's without asking LogQL's grammar.
 */
export function namesMetricSelector(expr: string): boolean {
  for (let at = 0; at < expr.length; at++) {
    const character = expr[at]!;
    if (character === '"' || character === "'" || character === '`') {
      for (at++; at < expr.length && expr[at] !== character; at++)
        if (expr[at] === '\\' && character !== '`') at++;
    } else if (character === '{' && at > 0 && /[\w:]/.test(expr[at - 1]!)) return true;
  }
  return false;
}

/**
 * A rule file validated whole keeps none of its nodes once its groups are loaded: the rare problem
 * the validator names no line for reads the file again, to find the rule it is about.
 */
function wholeRuleFile(
  document: PositionedDocument,
  validated: Promise<readonly RuleFileProblem[]>,
): RuleFileSource {
  return {
    document,
    validated,
    get node() {
      // Prometheus's parser read the file; should yaml's not, the problem is at the file's start.
      return PositionedDocument.parseAll(document.file, document.text).roots[0] ?? new YAMLMap();
    },
  };
}

function collector(): Collected {
  return {
    groups: [],
    lokiGroups: [],
    dashboards: [],
    origins: new Map(),
    ruleFiles: [],
    alertmanagers: [],
    problems: [],
  };
}

/**
 * Parses one file's text (every YAML document in it); what each document is, is decided by its
 * content. A rule file whose first expression is LogQL needs `await init()` from @o11y/promql first
 * (`loadFiles` loads it when a file needs it): telling it from a Prometheus file parses the expression
 * as PromQL too. A file `named` on the command line that holds nothing lint reads is a problem; one found in
 * a folder is skipped quietly (a folder of Kubernetes manifests holds Deployments too).
 */
export function loadText(file: string, content: string, options: { named?: boolean } = {}) {
  const into = collector();
  readInto(file, content, options.named ?? true, into);
  return {
    groups: into.groups,
    lokiGroups: into.lokiGroups,
    dashboards: into.dashboards,
    origins: into.origins,
    sources: { ruleFiles: into.ruleFiles, alertmanagers: into.alertmanagers } as PlainSources,
    problems: into.problems,
  };
}

function readInto(
  file: string,
  content: string,
  named: boolean,
  into: Collected,
  validated?: Promise<readonly RuleFileProblem[]>,
  tree?: RuleFileTree,
): void {
  const { document, roots, errors } = tree
    ? PositionedDocument.fromTree(file, content, tree)
    : PositionedDocument.parseAll(file, content);
  if (errors.length > 0) {
    into.problems.push(
      ...errors.map(
        (error): Diagnostic => ({
          severity: 'error',
          message: `cannot parse: ${error.message}`,
          source: error.source,
          id: 'lint/file',
        }),
      ),
    );
    return;
  }
  let found = false;
  into.whole = validated && roots.length === 1 ? { root: roots[0]!, validated } : undefined;
  for (const root of roots) found = loadDocument(document, root, into) || found;
  into.whole = undefined;
  if (!found && named) {
    into.problems.push({
      severity: 'error',
      message:
        'nothing to lint: not a rule file, a PrometheusRule, a Grafana dashboard (JSON, resource or ConfigMap) or an Alertmanager configuration',
      source: { file, line: 1, column: 1 },
      id: 'lint/file',
      hint: 'rule files have a top-level "groups" list, dashboards "panels" (or "rows"), alertmanager.yml a "route"',
    });
  }
}

/**
 * Reads one file into `into`, loading the wasm PromQL parser only for a file that needs it: telling a
 * Loki ruler file from Prometheus's parses an expression LogQL reads as PromQL too, which Prometheus's
 * own files (their first expression is not LogQL) never ask. Such a file is read again once it is loaded.
 */
async function readWithParser(into: Collected, read: (file: Collected) => void): Promise<void> {
  let file = collector();
  try {
    read(file);
  } catch (error) {
    if (!(error instanceof O11yError && error.id === 'promql/not-initialised')) throw error;
    await init();
    file = collector();
    read(file);
  }
  // Element by element: a file of a hundred thousand groups is more than a call's arguments can hold.
  const append = <T>(list: T[], items: readonly T[]) => {
    for (const item of items) list.push(item);
  };
  append(into.groups, file.groups);
  append(into.lokiGroups, file.lokiGroups);
  append(into.dashboards, file.dashboards);
  for (const [owner, origin] of file.origins) into.origins.set(owner, origin);
  append(into.ruleFiles, file.ruleFiles);
  append(into.alertmanagers, file.alertmanagers);
  append(into.problems, file.problems);
}

/**
 * Loads plain Prometheus rule files, Loki ruler files, Grafana dashboards, Alertmanager configurations and Kubernetes
 * manifests holding them (files or folders of them) into the model the checks run on. Locations are
 * relative to `root`.
 */
export async function loadFiles(targets: readonly string[], root: string): Promise<LoadedFiles> {
  const into = collector();
  const read: { file: string; named: boolean }[] = [];
  for (const target of targets) {
    const absolute = path.resolve(root, target);
    let files: string[];
    try {
      files = expand(absolute);
    } catch (error) {
      into.problems.push({
        severity: 'error',
        message: `cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        id: 'lint/file',
        hint: 'pass rule files, dashboards or alertmanager.yml (.yml, .yaml, .json), or folders of them',
      });
      continue;
    }
    for (const file of files) read.push({ file, named: file === absolute });
  }
  // Read synchronously, so that the native readers below start before the caller's next work (the
  // configuration's modules) rather than after it.
  const contents = read.map(({ file }) => readFileSync(file, 'utf8'));
  const yamlFiles = read.flatMap(({ file }, index) => (file.endsWith('.json') ? [] : [index]));
  const yamlTexts = yamlFiles.map((index) => contents[index]!);
  // Prometheus's YAML parser reads the rule files natively on both cores, in a fraction of the time
  // yaml's takes on this thread (which reads what the trees leave out). The validation is needed
  // only once the other checks have run: it works in the background meanwhile.
  const reading = ruleFileTrees(yamlTexts);
  const validating = validateRuleFiles(yamlTexts, {}, { expressions: false, background: true });
  // Awaited by rules/promtool-check; until then a failure must not count as unhandled.
  validating.catch(() => undefined);
  const trees = await reading;
  // Outside the loop, so that a file's pending result holds its position and not its tree.
  const validatedAt = (position: number) => {
    const validated = validating.then((results) => results[position]!);
    validated.catch(() => undefined);
    return validated;
  };
  const positions = new Map(yamlFiles.map((index, position) => [index, position]));
  for (const [index, { file, named }] of read.entries()) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const position = positions.get(index);
    const validated = position === undefined ? undefined : validatedAt(position);
    const tree = position === undefined ? undefined : trees.tree(position);
    await readWithParser(into, (file) => readInto(relative, contents[index]!, named, file, validated, tree));
  }
  return {
    model: {
      ruleGroups: into.groups,
      dashboards: into.dashboards,
      scrapeJobs: [],
      ...(into.lokiGroups.length > 0 && { lokiRuleGroups: into.lokiGroups }),
    },
    origins: into.origins,
    sources: { ruleFiles: into.ruleFiles, alertmanagers: into.alertmanagers },
    problems: into.problems,
  };
}
