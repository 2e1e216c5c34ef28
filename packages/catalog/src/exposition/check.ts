import { compareCodePoints, type Diagnostic, type Severity } from '@o11y/core';
import type { Catalog } from '../catalog.ts';
import { distinctValues } from '../labels.ts';
import { formatOpenMetricsFloat, type MetricDeclaration } from '../metric.ts';
import type { ExpositionFamily } from './parse.ts';

export type ConformityProblem =
  | 'missing'
  | 'undeclared-metric'
  | 'other-job'
  | 'wrong-type'
  | 'undeclared-label'
  | 'missing-label'
  | 'undeclared-value'
  | 'too-many-values'
  | 'wrong-buckets'
  | 'native-as-classic';

const SEVERITY: Record<ConformityProblem, Severity> = {
  missing: 'error',
  'undeclared-metric': 'warning',
  'other-job': 'warning',
  'wrong-type': 'error',
  'undeclared-label': 'error',
  'missing-label': 'warning',
  'undeclared-value': 'error',
  'too-many-values': 'error',
  'wrong-buckets': 'error',
  // A text exposition cannot show native histograms, so it cannot prove the declaration wrong.
  'native-as-classic': 'warning',
};

const HINTS: Record<ConformityProblem, string> = {
  missing: 'the catalogue declares it for this job: fix the exporter, or remove the job from the declaration',
  'undeclared-metric': 'declare it in the catalogue if dashboards or rules should use it',
  'other-job': 'add this job to the declaration’s jobs if it really exposes the metric',
  'wrong-type': 'declare the type the exporter uses',
  'undeclared-label': 'declare the label (with its values or an estimate), or stop the exporter setting it',
  'missing-label': 'remove the label from the declaration if the exporter never sets it',
  'undeclared-value': 'add the value to label.values([...]) or fix the exporter',
  'too-many-values': 'raise the estimate in label.cardinality(n), or reduce the label’s values',
  'wrong-buckets': 'declare the buckets the exporter uses',
  'native-as-classic':
    'native histograms travel only in the protobuf format: make sure the client library emits them and the scrape ' +
    'negotiates protobuf (scrape_native_histograms: true, or PrometheusProto first in scrape_protocols); if ' +
    'Prometheus scrapes this text, declare the metric with histogram() and its buckets instead',
};

/** Labels Prometheus attaches at scrape time; an exposition does not carry them. */
const TARGET_LABELS = ['job', 'instance'];

export interface ConformityReport {
  /** The job whose declarations the exposition was compared with. */
  readonly job: string | undefined;
  /** True when the job was not given but inferred from the metrics the exposition has. */
  readonly inferredJob: boolean;
  readonly findings: readonly Diagnostic[];
}

function finding(problem: ConformityProblem, message: string, declaration?: MetricDeclaration): Diagnostic {
  return {
    severity: SEVERITY[problem],
    id: `catalog/${problem}`,
    message,
    hint: HINTS[problem],
    ...(declaration && { source: declaration.source }),
  };
}

/** The job whose declared metrics the exposition has most of (ties: the first by name). */
function inferJob(catalog: Catalog, families: readonly ExpositionFamily[]): string | undefined {
  const counts = new Map<string, number>();
  for (const family of families) {
    for (const j of catalog.metric(family.name)?.jobs ?? [])
      counts.set(j.name, (counts.get(j.name) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  return ranked[0]?.[0];
}

function normaliseFloatLabel(value: string): string {
  const parsed = Number(value === '+Inf' ? Number.POSITIVE_INFINITY : value);
  return Number.isNaN(parsed) ? value : formatOpenMetricsFloat(parsed);
}

/** The exposition type a declaration shows in the text format, where native histograms look classic. */
function textType(declaration: MetricDeclaration): string {
  return declaration.type === 'native-histogram' ? 'histogram' : declaration.type;
}

function checkFamily(
  declaration: MetricDeclaration,
  family: ExpositionFamily,
  setByTheScrape: readonly string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = declaration.name;
  if (family.type !== 'untyped' && family.type !== textType(declaration)) {
    out.push(
      finding(
        'wrong-type',
        `${name} is a ${family.type} in the exposition, a ${declaration.type} in the catalogue`,
        declaration,
      ),
    );
    return out;
  }
  const native = declaration.type === 'native-histogram';
  if (native && family.type === 'histogram') {
    out.push(
      finding(
        'native-as-classic',
        `${name} is declared as a native histogram, but this text exposition has it as a classic histogram ` +
          `(${name}_bucket with le, ${name}_sum, ${name}_count); the text format cannot carry native histograms`,
        declaration,
      ),
    );
  }
  const floatLabel =
    declaration.type === 'histogram' || native
      ? 'le'
      : declaration.type === 'summary'
        ? 'quantile'
        : undefined;
  const values = new Map<string, Set<string>>();
  for (const sample of family.samples) {
    for (const [labelName, raw] of Object.entries(sample.labels)) {
      const value = labelName === floatLabel ? normaliseFloatLabel(raw) : raw;
      const set = values.get(labelName) ?? new Set<string>();
      set.add(value);
      values.set(labelName, set);
    }
  }
  for (const [labelName, seen] of [...values].sort((a, b) => compareCodePoints(a[0], b[0]))) {
    const spec = declaration.labels[labelName];
    // The classic rendering's buckets say nothing about a native histogram's.
    if (labelName === 'le' && native) continue;
    if (TARGET_LABELS.includes(labelName)) {
      const message = `${name} sets the target label "${labelName}", which Prometheus renames to exported_${labelName}`;
      out.push(finding('undeclared-label', message, declaration));
      continue;
    }
    if (!spec) {
      out.push(
        finding(
          'undeclared-label',
          `${name} has label "${labelName}", which the catalogue does not declare`,
          declaration,
        ),
      );
      continue;
    }
    // Bucket bounds are compared as a whole below.
    if (labelName === 'le' && declaration.type === 'histogram') continue;
    if (spec.kind === 'values') {
      const unknown = [...seen].filter((v) => !spec.values.includes(v)).sort(compareCodePoints);
      if (unknown.length > 0) {
        out.push(
          finding(
            'undeclared-value',
            `${name}{${labelName}} has undeclared values ${unknown.map((v) => `"${v}"`).join(', ')}`,
            declaration,
          ),
        );
      }
    } else if (seen.size > distinctValues(spec)) {
      out.push(
        finding(
          'too-many-values',
          `${name}{${labelName}} has ${seen.size} distinct values in one target, more than the ${spec.cardinality} declared`,
          declaration,
        ),
      );
    }
  }
  if (family.samples.length > 0) {
    const absent = Object.keys(declaration.labels)
      .filter((l) => !TARGET_LABELS.includes(l) && !setByTheScrape.includes(l) && !values.has(l))
      .sort(compareCodePoints);
    for (const labelName of absent) {
      out.push(finding('missing-label', `${name} never has the declared label "${labelName}"`, declaration));
    }
  }
  if (declaration.type === 'histogram' && values.has('le')) {
    const declared = new Set([...(declaration.buckets ?? []).map(formatOpenMetricsFloat), '+Inf']);
    const seen = values.get('le')!;
    const extra = [...seen].filter((v) => !declared.has(v));
    const lacking = [...declared].filter((v) => !seen.has(v));
    if (extra.length > 0 || lacking.length > 0) {
      const parts = [
        extra.length > 0 ? `undeclared buckets ${extra.join(', ')}` : '',
        lacking.length > 0 ? `missing buckets ${lacking.join(', ')}` : '',
      ].filter(Boolean);
      out.push(finding('wrong-buckets', `${name} has ${parts.join('; ')}`, declaration));
    }
  }
  return out;
}

/**
 * Compares one target's exposition with the catalogue: declared metrics of the job that are missing,
 * metrics the catalogue does not know, wrong types, undeclared labels or values, more distinct values
 * than declared, and histogram buckets that differ.
 */
export function checkConformity(
  catalog: Catalog,
  families: readonly ExpositionFamily[],
  options: { readonly job?: string } = {},
): ConformityReport {
  const job = options.job ?? inferJob(catalog, families);
  const findings: Diagnostic[] = [];
  const present = new Set(families.map((f) => f.name));
  // Dimensions that the scrape sets (target labels, relabelling) may be missing from the target's own exposition.
  const setByTheScrape = (catalog.dimensions?.enabled ?? [])
    .filter((d) => d.source !== 'external_labels')
    .map((d) => d.label);
  for (const family of [...families].sort((a, b) => compareCodePoints(a.name, b.name))) {
    const declaration = catalog.metric(family.name);
    if (!declaration) {
      findings.push(finding('undeclared-metric', `${family.name} (${family.type}) is not in the catalogue`));
      continue;
    }
    if (job !== undefined && !declaration.jobs.some((j) => j.name === job)) {
      findings.push(
        finding(
          'other-job',
          `${family.name} is declared for jobs ${declaration.jobs.map((j) => j.name).join(', ')}, not ${job}`,
          declaration,
        ),
      );
    }
    findings.push(...checkFamily(declaration, family, setByTheScrape));
  }
  if (job !== undefined) {
    for (const declaration of catalog.metrics) {
      const expected =
        declaration.type !== 'recorded' &&
        !declaration.scrapeGenerated &&
        declaration.jobs.some((j) => j.name === job);
      if (expected && !present.has(declaration.name)) {
        findings.push(
          finding('missing', `${declaration.name} (${declaration.type}) is missing`, declaration),
        );
      }
    }
  }
  return { job, inferredJob: options.job === undefined && job !== undefined, findings };
}
