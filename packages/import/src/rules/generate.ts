import * as catalogExports from '@o11y/catalog';
import { compareCodePoints, type Duration, O11yError } from '@o11y/core';
import { type Node, parse } from '@o11y/promql';
import * as rulesExports from '@o11y/rules';
import { alert, record, ruleGroup, SEVERITIES, type Severity, verbatimAlert } from '@o11y/rules';
import { declareMetrics, type GeneratedModule, type SeriesBinding } from '../catalog/declare.ts';
import type { Evidence } from '../catalog/evidence.ts';
import { inferMetrics, type SeriesFacts } from '../catalog/infer.ts';
import { type ExpressionUses, expressionUses, type SeriesUse } from '../catalog/usage.ts';
import { camelCase, constantCase, NameAllocator, ruleGroupName } from '../names.ts';
import type { ImportReport, InferredType, LostItem, Normalisation, PassthroughItem } from '../report.ts';
import type { InputGroup, InputRule, RuleInput } from './load.ts';
import { samePromQL } from './promql-equal.ts';
import { NotTypable, toTyped } from './typed.ts';

/** One rule input and the module stem its outputs are named after. */
export interface PlannedRuleInput {
  readonly input: RuleInput;
  /** `rules/<stem>.ts`, `catalog/imported/<stem>.ts`, built to `dist/prometheus/rules/<stem>.yml`. */
  readonly stem: string;
}

export interface RulesImportOptions {
  /** Series the organisation's catalogue already declares. */
  readonly existing: ReadonlyMap<string, SeriesBinding>;
  /** Identifiers the catalogue already exports (imported declarations must not clash with them). */
  readonly existingNames: Iterable<string>;
  readonly evidence?: Evidence;
  /**
   * Other imported modules whose expressions read metrics (dashboards: their queries): the metrics are
   * declared in the catalogue too, each in a module of the first file that reads it.
   */
  readonly otherReaders?: readonly ExpressionReader[];
}

/** An imported module that reads metrics but holds no rules, with what its expressions read. */
export interface ExpressionReader {
  /** `dashboards/<stem>.ts`. */
  readonly module: string;
  /** Unique among the imported files: its catalogue module is `catalog/imported/<stem>.ts`. */
  readonly stem: string;
  readonly uses: readonly ExpressionUses[];
}

export interface RulesImport {
  readonly modules: readonly GeneratedModule[];
  readonly report: Omit<ImportReport, 'written' | 'secrets'>;
}

export const CATALOG_DIR = 'catalog/imported';

/** `from` (a root-relative module) as an import specifier seen from the module at `at`. */
export function specifier(from: string, at: string): string {
  const fromParts = from.split('/');
  const atDir = at.split('/').slice(0, -1);
  let common = 0;
  while (common < atDir.length && atDir[common] === fromParts[common]) common++;
  const up = atDir.length - common;
  const rest = fromParts.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

function importLines(imports: ReadonlyMap<string, Set<string>>): string {
  return [...imports]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([from, names]) => `import { ${[...names].sort(compareCodePoints).join(', ')} } from '${from}';`)
    .join('\n');
}

function str(value: string): string {
  return value.includes('\n') && !value.includes('`') && !value.includes('${')
    ? `\`${value}\``
    : JSON.stringify(value);
}

function record_(entries: Readonly<Record<string, string>>): string {
  const keys = Object.keys(entries);
  return `{ ${keys
    .map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${str(entries[k]!)}`)
    .join(', ')} }`;
}

/** The labels a raw expression returns when its outermost aggregation says (`sum by (a) (…)`). */
function rawLabels(node: Node): string[] {
  const inner = node.type === 'Paren' ? node.expr : node;
  if (inner.type === 'Aggregate' && !inner.without) return [...inner.grouping];
  if (inner.type === 'Binary' && !['and', 'or', 'unless'].includes(inner.op)) return rawLabels(inner.lhs);
  return [];
}

interface ParsedRule {
  readonly rule: InputRule;
  readonly node: Node;
}

/**
 * Turns rule inputs into TypeScript modules: one module per input under rules/, one catalogue module
 * per input under catalog/imported/ for the metrics it reads first, expressions typed through the
 * catalogue where the typed layer reproduces them exactly and kept as `raw()` otherwise.
 */
export function importRules(planned: readonly PlannedRuleInput[], options: RulesImportOptions): RulesImport {
  const passthrough: PassthroughItem[] = [];
  const normalisations: Normalisation[] = [];
  const lost: LostItem[] = [];
  const inferredTypes: InferredType[] = [];
  const counts = { typed: 0, raw: 0 };

  // Parse every expression first: invalid PromQL stops the import before anything is written.
  const parsed = new Map<InputRule, ParsedRule>();
  for (const { input } of planned) {
    for (const group of input.groups) {
      for (const rule of group.rules) {
        const result = parse(rule.expr);
        if (!result.ok) {
          const error = result.errors[0]!;
          throw new O11yError(
            `${rule.at}: invalid PromQL in ${rule.alert ?? rule.record}: ${error.message}`,
            {
              id: 'import/promql',
              hint: 'fix the expression in the input (promtool check rules shows the same) and import again',
            },
          );
        }
        parsed.set(rule, { rule, node: result.expr });
      }
    }
  }

  // What every series is used as, and which input reads it first (its declaration goes there).
  const recordedNames = new Set<string>();
  for (const { rule } of parsed.values()) if (rule.record) recordedNames.add(rule.record);
  const facts = new Map<string, { uses: SeriesUse[]; labels: Set<string>; stem: string }>();
  const read = (stem: string, { uses, labels }: ExpressionUses) => {
    for (const use of uses) {
      if (recordedNames.has(use.series) || options.existing.has(use.series) || use.series.includes(':'))
        continue;
      const entry = facts.get(use.series) ?? { uses: [], labels: new Set<string>(), stem };
      entry.uses.push(use);
      for (const l of labels) entry.labels.add(l);
      facts.set(use.series, entry);
    }
  };
  for (const { input, stem } of planned) {
    for (const group of input.groups) {
      for (const rule of group.rules) read(stem, expressionUses(parsed.get(rule)!.node));
    }
  }
  const readers = [
    ...planned.map(({ stem }) => ({ stem, module: `rules/${stem}.ts` })),
    ...(options.otherReaders ?? []),
  ];
  for (const reader of options.otherReaders ?? []) for (const uses of reader.uses) read(reader.stem, uses);
  const seriesFacts: SeriesFacts[] = [...facts].map(([series, f]) => ({
    series,
    uses: f.uses,
    expressionLabels: f.labels,
  }));
  const inferred = inferMetrics(seriesFacts, options.evidence);

  const names = new NameAllocator([
    ...options.existingNames,
    ...Object.keys(catalogExports),
    ...Object.keys(rulesExports),
  ]);
  const bindings = new Map<string, SeriesBinding>(options.existing);
  const modules: GeneratedModule[] = [];
  for (const { stem, module } of readers) {
    const mine = inferred.filter((m) => facts.get(m.series[0]!)?.stem === stem);
    if (mine.length === 0) continue;
    const path = `${CATALOG_DIR}/${stem}.ts`;
    const header = `// Declared by o11y import for ${module}: the metrics its expressions read.`;
    const declared = declareMetrics(path, mine, names, header);
    modules.push(declared.module);
    for (const [series, binding] of declared.series) bindings.set(series, binding);
    for (const m of mine) {
      inferredTypes.push({
        metric: m.name,
        type: m.kind,
        because: m.because,
        module: path,
        ...(m.undecided !== undefined && { undecided: m.undecided }),
        ...(m.corrected !== undefined && { corrected: m.corrected }),
      });
    }
  }

  for (const { input, stem } of planned) {
    const path = `rules/${stem}.ts`;
    const imports = new Map<string, Set<string>>();
    const need = (from: string, name: string) => {
      const set = imports.get(from) ?? new Set<string>();
      set.add(name);
      imports.set(from, set);
    };
    const constants: string[] = [];
    const body: string[] = [];
    const note = (item: string, reason: string) => passthrough.push({ module: path, item, reason });

    const expression = (rule: InputRule, owner: string): { code: string; value: unknown } => {
      const { node } = parsed.get(rule)!;
      const pending: { name: string; value: number }[] = [];
      const scope = {
        series: (name: string) => bindings.get(name),
        ...(rule.alert !== undefined && {
          threshold: (value: number) => {
            if (value === 0) return undefined;
            const base = `${constantCase(owner)}_THRESHOLD`;
            const name = names.take(base, '_');
            pending.push({ name, value });
            return name;
          },
        }),
      };
      try {
        const typed = toTyped(node, scope);
        const printed = catalogExports.toPromQL(typed.value as catalogExports.Expr);
        if (!samePromQL(printed, rule.expr)) throw new NotTypable(`the typed spelling prints ${printed}`);
        for (const name of typed.uses) need('@o11y/catalog', name);
        for (const name of bindingsUsed(node)) {
          const binding = bindings.get(name)!;
          if (binding.from !== path) need(specifier(binding.from, path), binding.ident);
        }
        for (const { name, value } of pending) {
          constants.push(`/** The threshold of ${owner}. */\nexport const ${name} = ${value};`);
        }
        counts.typed++;
        return typed;
      } catch (error) {
        if (!(error instanceof NotTypable)) throw error;
        counts.raw++;
        need('@o11y/catalog', 'raw');
        const labels = rawLabels(node);
        note(`${rule.alert ? 'alert' : 'record'} ${owner}: expression`, `raw PromQL: ${error.message}`);
        return {
          code: `raw(${str(rule.expr)}, { labels: [${labels.map((l) => JSON.stringify(l)).join(', ')}] })`,
          value: catalogExports.raw(rule.expr, { labels }),
        };
      }
    };
    const bindingsUsed = (node: Node): string[] => {
      const used: string[] = [];
      const visit = (n: unknown) => {
        if (typeof n !== 'object' || n === null) return;
        const r = n as Record<string, unknown>;
        if (r.type === 'VectorSelector' && typeof r.name === 'string' && bindings.has(r.name))
          used.push(r.name);
        for (const value of Object.values(r)) if (typeof value === 'object') visit(value);
      };
      visit(node);
      return used;
    };

    for (const group of input.groups) {
      const ruleIdents: string[] = [];
      const ruleValues: unknown[] = [];
      for (const rule of group.rules) {
        try {
          if (rule.record !== undefined) {
            const ident = names.take(camelCase(rule.record));
            const { code, value } = expression(rule, rule.record);
            const labels = Object.keys(rule.labels).length > 0 ? `, { labels: ${record_(rule.labels)} }` : '';
            need('@o11y/rules', 'record');
            body.push(`export const ${ident} = record(${JSON.stringify(rule.record)}, ${code}${labels});`);
            const output = record(rule.record, value as catalogExports.InstantVector, {
              labels: rule.labels,
            });
            // Later expressions select the recorded series through this rule, unless its name is recorded twice.
            bindings.set(rule.record, { code: ident, ident, from: path, value: output });
            ruleIdents.push(ident);
            ruleValues.push(output);
            continue;
          }
          const name = rule.alert!;
          const ident = names.take(camelCase(name));
          const { code, value } = expression(rule, name);
          const { severity, team, ...otherLabels } = rule.labels;
          const { summary, description, runbook_url, ...otherAnnotations } = rule.annotations;
          const timing = [
            ...(rule.for !== undefined ? [`for: ${JSON.stringify(rule.for)}`] : []),
            ...(rule.keepFiringFor !== undefined
              ? [`keepFiringFor: ${JSON.stringify(rule.keepFiringFor)}`]
              : []),
          ];
          const missing = [
            ...(severity === undefined || !SEVERITIES.includes(severity as Severity)
              ? [
                  `severity ${severity === undefined ? 'missing' : `"${severity}" is not one of ${SEVERITIES.join(', ')}`}`,
                ]
              : []),
            ...(team === undefined ? ['no team label'] : []),
            ...(summary?.trim() ? [] : ['no summary']),
            ...(description?.trim() ? [] : ['no description']),
          ];
          const exprValue = value as catalogExports.InstantVector;
          let built: unknown;
          if (missing.length === 0) {
            need('@o11y/rules', 'alert');
            const extras = [
              ...(Object.keys(otherLabels).length > 0 ? [`labels: ${record_(otherLabels)}`] : []),
              ...(Object.keys(otherAnnotations).length > 0
                ? [`annotations: ${record_(otherAnnotations)}`]
                : []),
              ...(runbook_url !== undefined ? [`runbookUrl: ${str(runbook_url)}`] : []),
            ];
            body.push(
              `const ${ident} = alert(${JSON.stringify(name)}, {\n${[
                `expr: ${code}`,
                ...timing,
                `severity: ${JSON.stringify(severity)}`,
                `team: ${JSON.stringify(team)}`,
                `summary: ${str(summary!)}`,
                `description: ${str(description!)}`,
                ...extras,
              ].join(',\n')},\n});`,
            );
            built = alert(name, {
              expr: exprValue,
              ...(rule.for !== undefined && { for: rule.for as Duration }),
              ...(rule.keepFiringFor !== undefined && { keepFiringFor: rule.keepFiringFor as Duration }),
              severity: severity as Severity,
              team: team!,
              summary: summary!,
              description: description!,
              labels: otherLabels,
              annotations: otherAnnotations,
              ...(runbook_url !== undefined && { runbookUrl: runbook_url }),
            });
          } else {
            need('@o11y/rules', 'verbatimAlert');
            const reason = `not written with alert(): ${missing.join(', ')}`;
            note(`alert ${name}`, reason);
            body.push(
              `const ${ident} = verbatimAlert(${JSON.stringify(name)}, {\n${[
                `expr: ${code}`,
                ...timing,
                ...(Object.keys(rule.labels).length > 0 ? [`labels: ${record_(rule.labels)}`] : []),
                ...(Object.keys(rule.annotations).length > 0
                  ? [`annotations: ${record_(rule.annotations)}`]
                  : []),
                `imported: ${JSON.stringify(reason)}`,
              ].join(',\n')},\n});`,
            );
            built = verbatimAlert(name, {
              expr: exprValue,
              ...(rule.for !== undefined && { for: rule.for as Duration }),
              ...(rule.keepFiringFor !== undefined && { keepFiringFor: rule.keepFiringFor as Duration }),
              labels: rule.labels,
              annotations: rule.annotations,
              imported: reason,
            });
          }
          ruleIdents.push(ident);
          ruleValues.push(built);
        } catch (error) {
          if (error instanceof O11yError && error.message.startsWith(rule.at)) throw error;
          throw new O11yError(
            `${rule.at}: ${rule.alert ?? rule.record} cannot be imported: ${(error as Error).message}`,
            {
              id: 'import/rule',
              hint: 'fix the rule in the input and import again',
            },
          );
        }
      }
      emitGroup(group, { stem, ruleIdents, ruleValues, input, body, names, normalisations, lost, note });
    }
    need('@o11y/rules', 'ruleGroup');
    const origin = input.name !== undefined ? ` (${input.shape} ${input.name})` : '';
    const code = `// Imported by o11y import from ${input.file}${origin}; this module is now the source.
${importLines(imports)}

${constants.join('\n\n')}

${body.join('\n\n')}
`;
    modules.push({ path, content: code });
    if (input.shape === 'prometheus-rule') {
      normalisations.push({
        input: input.file,
        what: `PrometheusRule ${input.name ?? ''}: built as dist/prometheus/operator/${stem}.yaml named ${stem}; metadata labels, annotations and namespace are not kept`,
      });
    }
    if (input.shape === 'ruler-namespace') {
      normalisations.push({
        input: input.file,
        what: `ruler namespace ${input.name ?? ''}: built as dist/mimir/${stem}.yml`,
      });
    }
  }
  normalisations.push({
    input: '*',
    what: 'expressions printed canonically (spacing, parentheses, matcher order, durations); labels and annotations sorted; `for: 0s` dropped',
  });
  return {
    modules,
    report: {
      passthrough,
      normalisations,
      lost,
      inferred: inferredTypes.sort((a, b) => compareCodePoints(a.metric, b.metric)),
      expressions: counts,
    },
  };
}

interface GroupContext {
  readonly stem: string;
  readonly ruleIdents: readonly string[];
  readonly ruleValues: readonly unknown[];
  readonly input: RuleInput;
  readonly body: string[];
  readonly names: NameAllocator;
  readonly normalisations: Normalisation[];
  readonly lost: LostItem[];
  readonly note: (item: string, reason: string) => void;
}

/** Writes a group's `ruleGroup(…)` and builds it, so what the builder refuses stops the import here. */
function emitGroup(group: InputGroup, context: GroupContext): void {
  const { stem, ruleIdents, ruleValues, input, body, names, normalisations, lost, note } = context;
  const name = ruleGroupName(group.name);
  if (name !== group.name) {
    normalisations.push({
      input: input.file,
      what: `group "${group.name}" renamed ${name}: ruleGroup names are letters, digits and . _ - :`,
    });
  }
  for (const [field, value] of Object.entries(group.unmodelled)) {
    lost.push({
      input: input.file,
      what: `group ${group.name}: ${field}: ${JSON.stringify(value)} (not a field of Prometheus rule groups)`,
    });
    note(`group ${group.name} ${field}`, 'not kept: the rule builders do not model it');
  }
  const ident = names.take(`${camelCase(name)}Group`);
  const options = [
    `file: ${JSON.stringify(stem)}`,
    ...(group.interval !== undefined ? [`interval: ${JSON.stringify(group.interval)}`] : []),
    ...(group.limit !== undefined ? [`limit: ${group.limit}`] : []),
    ...(group.queryOffset !== undefined ? [`queryOffset: ${JSON.stringify(group.queryOffset)}`] : []),
    ...(Object.keys(group.labels).length > 0 ? [`labels: ${record_(group.labels)}`] : []),
    `rules: [${ruleIdents.join(', ')}]`,
  ];
  body.push(`export const ${ident} = ruleGroup(${JSON.stringify(name)}, {\n${options.join(',\n')},\n});`);
  try {
    ruleGroup(name, {
      file: stem,
      ...(group.interval !== undefined && { interval: group.interval as Duration }),
      ...(group.limit !== undefined && { limit: group.limit }),
      ...(group.queryOffset !== undefined && { queryOffset: group.queryOffset as Duration }),
      labels: group.labels,
      rules: ruleValues as Parameters<typeof ruleGroup>[1]['rules'],
    });
  } catch (error) {
    throw new O11yError(`${group.at}: group ${group.name} cannot be imported: ${(error as Error).message}`, {
      id: 'import/rule-group',
      hint: 'fix the group in the input (promtool check rules --lint=all shows duplicates) and import again',
    });
  }
}
