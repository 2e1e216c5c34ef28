import { compareCodePoints, stableStringify } from '@o11y/core';

/** Something kept verbatim through an escape hatch because the builders do not model it. */
export interface PassthroughItem {
  /** The written module, relative to the organisation root. */
  readonly module: string;
  /** What: `rule HighErrorRate expr`, `alert HighErrorRate`, `group node interval`, … */
  readonly item: string;
  readonly reason: string;
}

/** A difference between the input and the built output the import makes on purpose. */
export interface Normalisation {
  readonly input: string;
  readonly what: string;
}

/** An inline secret of the input: not copied; the written config reads it from `file`, where the user puts it. */
export interface SecretItem {
  /** `file:line` of the input. */
  readonly input: string;
  readonly field: string;
  readonly file: string;
}

export interface InferredType {
  readonly metric: string;
  readonly type: string;
  readonly because: string;
  readonly module: string;
  readonly undecided?: string;
  readonly corrected?: string;
}

/** Something of the input the import could not keep at all; the round trip then differs there. */
export interface LostItem {
  readonly input: string;
  readonly what: string;
}

export interface ImportReport {
  readonly written: readonly string[];
  readonly passthrough: readonly PassthroughItem[];
  readonly inferred: readonly InferredType[];
  readonly normalisations: readonly Normalisation[];
  readonly lost: readonly LostItem[];
  readonly secrets: readonly SecretItem[];
  /** How many expressions are typed through the catalogue and how many stay raw PromQL. */
  readonly expressions: { readonly typed: number; readonly raw: number };
}

export function formatReportJson(report: ImportReport, run: { readonly dryRun: boolean }): string {
  return stableStringify({ ...report, ...run });
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`${title} (${lines.length}):`, ...lines.map((l) => `  ${l}`), ''];
}

export function formatReportText(report: ImportReport, verb: 'wrote' | 'would write'): string {
  const sorted = (lines: string[]) => lines.sort(compareCodePoints);
  return [
    ...section(verb === 'wrote' ? 'Written' : 'Would write', [...report.written]),
    `Expressions: ${report.expressions.typed} typed through the catalogue, ${report.expressions.raw} kept as raw PromQL`,
    '',
    ...section(
      'Kept verbatim (escape hatches)',
      sorted(report.passthrough.map((p) => `${p.module}: ${p.item}: ${p.reason}`)),
    ),
    ...section(
      'Inferred metric types',
      report.inferred.map(
        (t) =>
          `${t.metric}: ${t.type} (${t.because})${t.undecided ? ` UNDECIDED: ${t.undecided}` : ''}${t.corrected ? `; inference said ${t.corrected}` : ''}`,
      ),
    ),
    ...section(
      'Secrets not copied: put each in its file on the Alertmanager host',
      report.secrets.map((s) => `${s.input}: ${s.field} → ${s.file}`),
    ),
    ...section('Normalisations', sorted(report.normalisations.map((n) => `${n.input}: ${n.what}`))),
    ...section('Not kept', sorted(report.lost.map((l) => `${l.input}: ${l.what}`))),
  ].join('\n');
}
