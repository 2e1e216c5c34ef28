import { compareCodePoints } from '@o11y/core';
import { parseAllDocuments } from 'yaml';
import type { GeneratedModule } from '../catalog/declare.ts';
import { isRecord, type Json } from '../json.ts';
import { camelCase } from '../names.ts';
import type { PassthroughItem } from '../report.ts';
import { eventLabels } from './event-labels.ts';

export type SpecKind = 'sloth' | 'openslo';

/** The SLO spec kind of a YAML text: Sloth `prometheus/v1`, OpenSLO v1, or neither. */
export function sloSpecKind(documents: readonly unknown[]): SpecKind | undefined {
  const first = documents[0];
  if (isRecord(first) && first.version === 'prometheus/v1' && Array.isArray(first.slos)) return 'sloth';
  if (
    documents.some(
      (d) => isRecord(d) && typeof d.apiVersion === 'string' && d.apiVersion.startsWith('openslo/'),
    )
  ) {
    return 'openslo';
  }
  return undefined;
}

interface RatioQueries {
  readonly slo: string;
  readonly counted: string;
  readonly total: string;
  readonly countedIs: 'bad' | 'good';
}

const WINDOW = /\{\{\s*\.window\s*\}\}/g;

function slothQueries(spec: Json): RatioQueries[] {
  return (spec.slos as unknown[]).flatMap((entry) => {
    const events =
      isRecord(entry) && isRecord(entry.sli) && isRecord(entry.sli.events) ? entry.sli.events : undefined;
    if (!events || typeof events.error_query !== 'string' || typeof events.total_query !== 'string')
      return [];
    const fill = (q: string) => q.replace(WINDOW, '5m');
    return [
      {
        slo: String((entry as Json).name),
        counted: fill(events.error_query),
        total: fill(events.total_query),
        countedIs: 'bad' as const,
      },
    ];
  });
}

function opensloQueries(documents: readonly unknown[]): RatioQueries[] {
  const slis = new Map<string, Json>();
  for (const d of documents) {
    if (isRecord(d) && d.kind === 'SLI' && isRecord(d.metadata) && isRecord(d.spec))
      slis.set(String(d.metadata.name), d.spec);
  }
  const query = (source: unknown): string | undefined => {
    const spec = isRecord(source) && isRecord(source.metricSource) ? source.metricSource.spec : undefined;
    return isRecord(spec) && typeof spec.query === 'string' ? spec.query.replace(WINDOW, '5m') : undefined;
  };
  return documents.flatMap((d) => {
    if (!isRecord(d) || d.kind !== 'SLO' || !isRecord(d.metadata) || !isRecord(d.spec)) return [];
    const indicator = isRecord(d.spec.indicator)
      ? d.spec.indicator.spec
      : slis.get(String(d.spec.indicatorRef));
    const ratio = isRecord(indicator) && isRecord(indicator.ratioMetric) ? indicator.ratioMetric : undefined;
    const total = query(ratio?.total);
    const bad = query(ratio?.bad);
    const good = query(ratio?.good);
    if (!total || !(bad ?? good)) return [];
    return [
      {
        slo: String(d.metadata.name),
        counted: (bad ?? good)!,
        total,
        countedIs: bad ? ('bad' as const) : ('good' as const),
      },
    ];
  });
}

/**
 * An SLO spec imported as a module that builds its SLOs from the spec (kept beside it under
 * rules/slos/), with generated promtool tests fed by one bad and one good series per SLO, derived
 * from the parsed queries. SLOs whose queries are not one counter selector each are reported.
 */
export function importSloSpec(
  file: string,
  text: string,
  stem: string,
  kind: SpecKind,
): { modules: GeneratedModule[]; passthrough: PassthroughItem[] } {
  const documents = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  const queries = kind === 'sloth' ? slothQueries(documents[0] as Json) : opensloQueries(documents);
  const specPath = `rules/slos/${stem}.${kind}.yml`;
  const path = `rules/${stem}.ts`;
  const passthrough: PassthroughItem[] = [];
  const inputs: string[] = [];
  for (const q of [...queries].sort((a, b) => compareCodePoints(a.slo, b.slo))) {
    const labels = eventLabels(q.counted, q.total, q.countedIs);
    if (!labels) {
      passthrough.push({
        module: path,
        item: `SLO ${q.slo}: generated tests`,
        reason:
          'none: its queries do not each read one counter selector of the same metric; give testInputs yourself',
      });
      continue;
    }
    inputs.push(`${JSON.stringify(q.slo)}: eventSeries(${JSON.stringify(labels)})`);
  }
  const fn = kind === 'sloth' ? 'importSloth' : 'importOpenSlo';
  const options = inputs.length > 0 ? `, { testInputs: { ${inputs.join(', ')} } }` : '';
  const code = `// Imported by o11y import from ${file}; the spec stays the source, kept as ${specPath}.
import { ${inputs.length > 0 ? 'eventSeries, ' : ''}${fn} } from '@o11y/rules';

/** The SLOs of the spec: SLI recording rules, burn-rate alerts and their promtool tests (fed by one bad and one good series each). */
export const ${camelCase(stem)}Slos = ${fn}(${JSON.stringify(specPath)}${options});
`;
  return {
    modules: [
      { path: specPath, content: text },
      { path, content: code },
    ],
    passthrough,
  };
}
