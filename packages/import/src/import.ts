import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareCodePoints, importOrganisationModule, O11yError } from '@o11y/core';
import { init, parse } from '@o11y/promql';
import { parseAllDocuments } from 'yaml';
import { isAlertmanagerConfig, planAlertmanagerImport } from './alertmanager/generate.ts';
import type { Evidence } from './catalog/evidence.ts';
import { existingSeries } from './catalog/existing.ts';
import { IMPORTED_INDEX, importedIndex, withImportedEntries } from './catalog/index-module.ts';
import { expressionUses } from './catalog/usage.ts';
import { generateDashboard } from './dashboards/generate.ts';
import { loadDashboardInputs } from './dashboards/load.ts';
import { dashboardReads } from './dashboards/reads.ts';
import type { Json } from './json.ts';
import { fileStem } from './names.ts';
import type { ImportReport, PassthroughItem } from './report.ts';
import { CATALOG_DIR, type ExpressionReader, importRules, type PlannedRuleInput } from './rules/generate.ts';
import { loadRuleInputs, type RuleInput } from './rules/load.ts';
import { importSloSpec, sloSpecKind } from './slo/generate.ts';
import { formatWithBiome, type PlannedFile, readIfExists } from './write.ts';

export interface ImportOptions {
  /** The organisation root (where catalog/, rules/, dashboards/ live). */
  readonly root: string;
  /** Files or folders to import (folders: every .yml, .yaml and .json inside, recursively). */
  readonly inputs: readonly string[];
  /** A real source of metric types and label values, asked about the series the inputs read. */
  readonly evidence?: (series: readonly string[]) => Promise<Evidence>;
  /** Whether an imported alertmanager.yml may replace the organisation's Alertmanager config. */
  readonly force?: boolean;
}

export interface ImportPlan {
  readonly files: readonly PlannedFile[];
  readonly report: ImportReport;
  /** What `--verify` compares: each rule input and the rule file its module builds to. */
  readonly ruleOutputs: readonly { readonly input: RuleInput; readonly built: string }[];
  /** What `--verify` compares for dashboards: the input as read (see the report's normalisations), its uid and folder path. */
  readonly dashboardOutputs: readonly {
    readonly file: string;
    readonly input: Json;
    readonly uid: string;
    readonly folder?: string;
  }[];
  /** What `--verify` compares for an alertmanager.yml: the input with the report's normalisations applied. */
  readonly alertmanagerOutput?: { readonly file: string; readonly expected: Json };
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];

async function expand(root: string, inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (target: string) => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(target);
    } catch {
      throw new O11yError(`cannot read ${path.relative(root, target) || target}: no such file or folder`, {
        id: 'import/input',
        hint: 'give rule files, dashboards or folders holding them',
      });
    }
    if (info.isDirectory()) {
      const entries = (await readdir(target)).sort(compareCodePoints);
      for (const entry of entries) {
        const full = path.join(target, entry);
        if ((await stat(full)).isDirectory() || EXTENSIONS.includes(path.extname(entry))) await visit(full);
      }
    } else files.push(target);
  };
  for (const input of inputs) await visit(path.resolve(root, input));
  return files;
}

async function loadExistingCatalog(root: string) {
  const index = path.join(root, 'catalog', 'index.ts');
  if ((await readIfExists(index)) === undefined) return { series: new Map(), names: [] as string[] };
  const module = await importOrganisationModule(index);
  return { series: existingSeries(module, 'catalog/index.ts'), names: Object.keys(module) };
}

/** Every series name the inputs' valid expressions and the dashboards' queries select, sorted. */
function seriesRead(planned: readonly PlannedRuleInput[], readers: readonly ExpressionReader[]): string[] {
  const names = new Set<string>();
  for (const { input } of planned) {
    for (const group of input.groups) {
      for (const rule of group.rules) {
        const result = parse(rule.expr);
        if (result.ok) for (const use of expressionUses(result.expr).uses) names.add(use.series);
      }
    }
  }
  for (const reader of readers)
    for (const read of reader.uses) for (const use of read.uses) names.add(use.series);
  return [...names].sort(compareCodePoints);
}

/** Reads the inputs and plans every file the import writes; writes nothing. */
export async function planImport(options: ImportOptions): Promise<ImportPlan> {
  await init();
  const { root } = options;
  const files = await expand(root, options.inputs);
  if (files.length === 0) {
    throw new O11yError('nothing to import: no .yml, .yaml or .json file in the inputs', {
      id: 'import/input',
    });
  }
  const planned: PlannedRuleInput[] = [];
  const stems = new Set<string>();
  const unrecognised: string[] = [];
  const uniqueStem = (name: string) => {
    const base = fileStem(name);
    let stem = base;
    for (let n = 2; stems.has(stem); n++) stem = `${base}-${n}`;
    stems.add(stem);
    return stem;
  };
  const sloModules: PlannedFile[] = [];
  const sloPassthrough: PassthroughItem[] = [];
  const dashboards: ReturnType<typeof generateDashboard>[] = [];
  const dashboardFiles: string[] = [];
  const v2: string[] = [];
  const alertmanagerInputs: { file: string; absolute: string; text: string }[] = [];
  for (const file of files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const text = await readFile(file, 'utf8');
    const fileName = path.basename(file, path.extname(file)).replace(/\.(sloth|openslo)$/, '');
    const documents = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    if (isAlertmanagerConfig(documents)) {
      alertmanagerInputs.push({ file: relative, absolute: file, text });
      continue;
    }
    const specKind = sloSpecKind(documents);
    if (specKind) {
      const spec = importSloSpec(relative, text, uniqueStem(fileName), specKind);
      sloModules.push(...spec.modules);
      sloPassthrough.push(...spec.passthrough);
      continue;
    }
    const found = loadDashboardInputs(relative, text);
    v2.push(...found.v2);
    if (found.dashboards.length > 0 || found.v2.length > 0) {
      for (const input of found.dashboards) {
        const title = typeof input.json.title === 'string' ? input.json.title : fileName;
        dashboards.push(generateDashboard(input, `dashboards/${uniqueStem(title)}.ts`));
        dashboardFiles.push(input.file);
      }
      continue;
    }
    const inputs = loadRuleInputs(relative, text);
    if (inputs.length === 0) unrecognised.push(relative);
    for (const input of inputs) planned.push({ input, stem: uniqueStem(input.name ?? fileName) });
  }
  if (v2.length > 0) {
    throw new O11yError(`dashboard.grafana.app v2 resources without a classic equivalent: ${v2.join('; ')}`, {
      id: 'import/input',
      hint: 'export the dashboard as classic JSON (or a v1 resource) from Grafana and import that',
    });
  }
  if (unrecognised.length > 0) {
    throw new O11yError(`not an input o11y import reads: ${unrecognised.join(', ')}`, {
      id: 'import/input',
      hint: 'alertmanager.yml (route: + receivers:), rule files (groups:), ruler namespace files (namespace: + groups:), PrometheusRule resources, Sloth prometheus/v1 and OpenSLO v1 specs, Grafana dashboards (JSON, API envelope, v1 resource, ConfigMap) are read',
    });
  }
  const alertmanagerImport = await planAlertmanagerImport(root, alertmanagerInputs, options.force === true);
  const existing = await loadExistingCatalog(root);
  const dashboardReaders: ExpressionReader[] = dashboards.map((d) => ({
    module: d.module.path,
    stem: path.posix.basename(d.module.path, '.ts'),
    uses: dashboardReads(d.compared),
  }));
  const evidence = options.evidence
    ? await options.evidence(seriesRead(planned, dashboardReaders))
    : undefined;
  const rules = importRules(planned, {
    existing: existing.series,
    existingNames: existing.names,
    otherReaders: dashboardReaders,
    ...(evidence && { evidence }),
  });
  const generated: PlannedFile[] = [
    ...rules.modules,
    ...sloModules,
    ...dashboards.map((d) => d.module),
    ...(alertmanagerImport?.files ?? []),
  ];
  const catalogStems = rules.modules
    .filter((m) => m.path.startsWith(`${CATALOG_DIR}/`))
    .map((m) => path.posix.basename(m.path, '.ts'));
  const lost = [
    ...rules.report.lost,
    ...dashboards.flatMap((d, i) => d.lost.map((what) => ({ input: dashboardFiles[i]!, what }))),
    ...(alertmanagerImport?.lost ?? []),
  ];
  if (catalogStems.length > 0) {
    const already = await readdir(path.join(root, CATALOG_DIR)).catch(() => [] as string[]);
    const previous = already.filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3));
    generated.push({
      path: IMPORTED_INDEX,
      content: importedIndex([...previous, ...catalogStems]),
      regenerated: true,
    });
    const indexSource = await readIfExists(path.join(root, 'catalog', 'index.ts'));
    const patched = indexSource === undefined ? undefined : withImportedEntries(indexSource);
    if (patched && 'text' in patched) {
      generated.push({ path: 'catalog/index.ts', content: patched.text, regenerated: true });
    } else if (patched && 'problem' in patched) {
      lost.push({
        input: 'catalog/index.ts',
        what: `${patched.problem}: add importedEntries from ./imported/index.ts yourself`,
      });
    }
  }
  const formatted: PlannedFile[] = [];
  for (const file of generated) {
    const typescript = file.path.endsWith('.ts');
    if (!typescript) {
      formatted.push(file);
      continue;
    }
    // One pass of biome can leave long call chains to a second one (`biome check` would then differ).
    let content = await formatWithBiome(root, file.path, file.content);
    for (let pass = 0; pass < 2; pass++) {
      const again = await formatWithBiome(root, file.path, content);
      if (again === content) break;
      content = again;
    }
    formatted.push({ ...file, content });
  }
  formatted.sort((a, b) => compareCodePoints(a.path, b.path));
  return {
    files: formatted,
    report: {
      ...rules.report,
      passthrough: [
        ...rules.report.passthrough,
        ...sloPassthrough,
        ...dashboards.flatMap((d) => d.passthrough),
        ...(alertmanagerImport?.passthrough ?? []),
      ],
      normalisations: [
        ...rules.report.normalisations,
        ...dashboards.flatMap((d, i) =>
          d.normalisations.map((what) => ({ input: dashboardFiles[i]!, what })),
        ),
        ...(alertmanagerImport?.normalisations ?? []),
      ],
      secrets: alertmanagerImport?.secrets ?? [],
      lost,
      written: formatted.map((f) => f.path),
    },
    ruleOutputs: planned.map(({ input, stem }) => ({ input, built: `prometheus/rules/${stem}.yml` })),
    dashboardOutputs: dashboards.map((d, i) => ({
      file: dashboardFiles[i]!,
      input: d.compared,
      uid: d.uid,
      ...(d.folder && { folder: d.folder }),
    })),
    ...(alertmanagerImport && {
      alertmanagerOutput: { file: alertmanagerImport.file, expected: alertmanagerImport.expected },
    }),
  };
}
