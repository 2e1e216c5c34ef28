import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Definition, type ProjectModel, toolPath } from '@o11y/core';
import { stringify } from 'yaml';
import { projectModel } from '../../build/src/model.ts';
import type { Check } from '../src/check.ts';
import type { LintConfig } from '../src/config.ts';
import { type LintFinding, type LintOptions, lint } from '../src/lint.ts';
import type { AlertmanagerSource } from '../src/load/alertmanager-file.ts';
import { loadText, type RuleFileSource } from '../src/load/files.ts';
import { testCatalog } from './catalog.ts';

/** Plain files (name → text) as one project model, with the origins of their expressions. */
export function modelOf(files: Record<string, string>) {
  const model: {
    ruleGroups: ProjectModel['ruleGroups'][number][];
    dashboards: ProjectModel['dashboards'][number][];
  } = { ruleGroups: [], dashboards: [] };
  const origins = new Map<object, import('../src/load/document.ts').ExpressionOrigin>();
  const sources: { ruleFiles: RuleFileSource[]; alertmanagers: AlertmanagerSource[] } = {
    ruleFiles: [],
    alertmanagers: [],
  };
  for (const [file, text] of Object.entries(files)) {
    const loaded = loadText(file, text);
    if (loaded.problems.length > 0) throw new Error(loaded.problems.map((p) => p.message).join('; '));
    model.ruleGroups.push(...loaded.groups);
    model.dashboards.push(...loaded.dashboards);
    for (const [owner, origin] of loaded.origins) origins.set(owner, origin);
    sources.ruleFiles.push(...loaded.sources.ruleFiles);
    sources.alertmanagers.push(...loaded.sources.alertmanagers);
  }
  return { model: { ...model, scrapeJobs: [] } as ProjectModel, origins, sources };
}

/** The project model of TypeScript definitions, as the build makes it. */
export function modelOfDefinitions(root: string, definitions: readonly Definition[]): Promise<ProjectModel> {
  return projectModel({ root, definitions, profile: 'default', log: () => {} });
}

/** Lints plain files with one check (and the test catalogue unless the config says otherwise). */
export async function run(
  check: Check | readonly Check[],
  files: Record<string, string>,
  config: LintConfig = {},
  options: Omit<LintOptions, 'config' | 'checks'> = {},
): Promise<LintFinding[]> {
  const { model, origins, sources } = modelOf(files);
  const result = await lint(model, {
    checks: Array.isArray(check) ? check : [check as Check],
    config: { catalog: testCatalog, ...config },
    origins,
    sources,
    ...options,
  });
  return [...result.findings];
}

/** A rule file with one group holding the given rules (YAML list items, indented by the caller). */
export function rules(body: string, group = 'test'): Record<string, string> {
  return { 'rules.yml': `groups:\n  - name: ${group}\n    rules:\n${body}` };
}

/** A recording rule `name: expr` per entry, as rule list items (to mix with `alert()`s in `rules()`). */
export function recordItems(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([name, expr]) => `      - record: ${name}\n        expr: ${JSON.stringify(expr)}\n`)
    .join('');
}

/** A recording rule `name: expr` per entry, in one group. */
export function records(entries: Record<string, string>): Record<string, string> {
  return rules(recordItems(entries));
}

/** A well-formed alert (labels and annotations complete) with the given expression and extra fields. */
export function alert(name: string, expr: string, extra: Record<string, unknown> = {}): string {
  const rule = {
    alert: name,
    expr,
    for: '5m',
    labels: { severity: 'warning', team: 'platform' },
    annotations: { summary: 'something', description: 'more', runbook_url: 'https://runbooks.example/x' },
    ...extra,
  };
  return `      - ${JSON.stringify(rule)}\n`;
}

export interface PanelSpec {
  id?: number;
  title?: string;
  type?: string;
  unit?: string;
  /** '' for none; a stock one otherwise, so only the panel-description check sees panels without. */
  description?: string;
  datasource?: unknown;
  targets?: {
    expr: string;
    legendFormat?: string;
    refId?: string;
    datasource?: unknown;
    interval?: string;
  }[];
}

const DATASOURCE = { type: 'prometheus', uid: '$datasource' };

/** A Grafana dashboard JSON with a datasource variable and the given panels (sensible defaults). */
export function dashboard(panels: PanelSpec[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      uid: 'test',
      title: 'Test',
      templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
      panels: panels.map((panel, index) => ({
        id: panel.id ?? index + 1,
        title: panel.title ?? `Panel ${index + 1}`,
        type: panel.type ?? 'timeseries',
        ...(panel.description !== '' && { description: panel.description ?? 'What it shows.' }),
        datasource: panel.datasource ?? DATASOURCE,
        fieldConfig: { defaults: panel.unit === '' ? {} : { unit: panel.unit ?? 'short' } },
        targets: (panel.targets ?? []).map((t, i) => ({
          refId: t.refId ?? String.fromCharCode(65 + i),
          ...t,
        })),
      })),
      ...extra,
    },
    null,
    2,
  );
}

/** One dashboard with one panel per query. */
export function queries(...exprs: string[]): Record<string, string> {
  return { 'dashboard.json': dashboard(exprs.map((expr) => ({ targets: [{ expr }] }))) };
}

export function ids(findings: readonly LintFinding[]): string[] {
  return findings.map((f) => f.id);
}

/** A dashboard file `logs.json` with one Loki logs panel per query. */
export function logsDashboard(...exprs: string[]): Record<string, string> {
  const loki = { type: 'loki', uid: 'loki' };
  return {
    'logs.json': dashboard(
      exprs.map((expr) => ({ type: 'logs', unit: '', datasource: loki, targets: [{ expr }] })),
    ),
  };
}

/** Lints Loki rules (one recording rule per expression, in group `logs`) with one check. */
export async function runLokiRules(
  check: Check,
  exprs: readonly string[],
  config: LintConfig = {},
): Promise<LintFinding[]> {
  const source = { file: 'rules/logs.ts', line: 1, column: 1 };
  const group = {
    name: 'logs',
    file: 'dist/loki/rules/logs.yml',
    source,
    rules: exprs.map((expr, index) => ({
      kind: 'record' as const,
      name: `logs:rule${index}`,
      expr,
      labels: {},
      annotations: {},
      source: { ...source, line: index + 2 },
    })),
  };
  const model: ProjectModel = { ruleGroups: [], dashboards: [], scrapeJobs: [], lokiRuleGroups: [group] };
  const result = await lint(model, { checks: [check], config: { catalog: testCatalog, ...config } });
  return [...result.findings];
}

/** The part of the expression a finding's caret is under. */
export function caret(finding: LintFinding): string | undefined {
  return finding.expression?.text.slice(finding.expression.span.start, finding.expression.span.end);
}

/** Runs `promtool test rules` on a rule file and its unit tests (objects, written as YAML); what it prints. */
export async function promtoolTest(rules: unknown, tests: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'o11y-promtool-'));
  try {
    await writeFile(path.join(dir, 'rules.yml'), stringify(rules));
    await writeFile(path.join(dir, 'tests.yml'), stringify({ rule_files: ['rules.yml'], ...tests }));
    const run = spawnSync(toolPath('promtool'), ['test', 'rules', 'tests.yml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return `${run.stdout}${run.stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
