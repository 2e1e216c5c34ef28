import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareCodePoints, O11yError } from '@o11y/core';
import { init, parse } from '@o11y/promql';
import type { Evidence } from './catalog/evidence.ts';
import { existingSeries } from './catalog/existing.ts';
import { IMPORTED_INDEX, importedIndex, withImportedEntries } from './catalog/index-module.ts';
import { expressionUses } from './catalog/usage.ts';
import { fileStem } from './names.ts';
import type { ImportReport } from './report.ts';
import { CATALOG_DIR, importRules, type PlannedRuleInput } from './rules/generate.ts';
import { loadRuleInputs, type RuleInput } from './rules/load.ts';
import { formatWithBiome, type PlannedFile, readIfExists } from './write.ts';

export interface ImportOptions {
  /** The organisation root (where catalog/, rules/, dashboards/ live). */
  readonly root: string;
  /** Files or folders to import (folders: every .yml, .yaml and .json inside, recursively). */
  readonly inputs: readonly string[];
  /** A real source of metric types and label values, asked about the series the inputs read. */
  readonly evidence?: (series: readonly string[]) => Promise<Evidence>;
}

export interface ImportPlan {
  readonly files: readonly PlannedFile[];
  readonly report: ImportReport;
  /** What `--verify` compares: each rule input and the rule file its module builds to. */
  readonly ruleOutputs: readonly { readonly input: RuleInput; readonly built: string }[];
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
  const module = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  return { series: existingSeries(module, 'catalog/index.ts'), names: Object.keys(module) };
}

/** Every series name the inputs' valid expressions select, sorted. */
function seriesRead(planned: readonly PlannedRuleInput[]): string[] {
  const names = new Set<string>();
  for (const { input } of planned) {
    for (const group of input.groups) {
      for (const rule of group.rules) {
        const result = parse(rule.expr);
        if (result.ok) for (const use of expressionUses(result.expr).uses) names.add(use.series);
      }
    }
  }
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
  for (const file of files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const inputs = loadRuleInputs(relative, await readFile(file, 'utf8'));
    if (inputs.length === 0) unrecognised.push(relative);
    for (const input of inputs) {
      const base = fileStem(input.name ?? path.basename(file, path.extname(file)));
      let stem = base;
      for (let n = 2; stems.has(stem); n++) stem = `${base}-${n}`;
      stems.add(stem);
      planned.push({ input, stem });
    }
  }
  if (unrecognised.length > 0) {
    throw new O11yError(`not an input o11y import reads: ${unrecognised.join(', ')}`, {
      id: 'import/input',
      hint: 'rule files (groups:), ruler namespace files (namespace: + groups:) and PrometheusRule resources are read',
    });
  }
  const existing = await loadExistingCatalog(root);
  const evidence = options.evidence ? await options.evidence(seriesRead(planned)) : undefined;
  const rules = importRules(planned, {
    existing: existing.series,
    existingNames: existing.names,
    ...(evidence && { evidence }),
  });
  const generated: PlannedFile[] = [...rules.modules];
  const catalogStems = rules.modules
    .filter((m) => m.path.startsWith(`${CATALOG_DIR}/`))
    .map((m) => path.posix.basename(m.path, '.ts'));
  const lost = [...rules.report.lost];
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
    formatted.push({ ...file, content: await formatWithBiome(root, file.path, file.content) });
  }
  formatted.sort((a, b) => compareCodePoints(a.path, b.path));
  return {
    files: formatted,
    report: { ...rules.report, lost, written: formatted.map((f) => f.path) },
    ruleOutputs: planned.map(({ input, stem }) => ({ input, built: `prometheus/rules/${stem}.yml` })),
  };
}
