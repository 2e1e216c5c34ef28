import { type ExpositionType, parseExposition } from '@o11y/catalog';
import { O11yError } from '@o11y/core';

/** What a real source says about one metric family: its type, help and the label values of its series. */
export interface FamilyEvidence {
  readonly name: string;
  readonly type: ExpositionType;
  readonly help?: string;
  /** Series name → label name → distinct values seen. */
  readonly series: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

/** Metric families from a `/metrics` exposition or a live Prometheus, looked up by series name. */
export interface Evidence {
  readonly origin: 'metrics-file' | 'prometheus';
  /** The family a series name belongs to (`x_bucket` → histogram `x`). */
  family(series: string): FamilyEvidence | undefined;
}

/** Series name suffixes and the family types that write them. */
const FAMILY_SUFFIXES: readonly (readonly [string, readonly ExpositionType[]])[] = [
  ['_bucket', ['histogram']],
  ['_sum', ['histogram', 'summary']],
  ['_count', ['histogram', 'summary']],
  ['_total', ['counter']],
  ['_created', ['counter', 'histogram', 'summary']],
];

function evidenceOf(origin: Evidence['origin'], families: readonly FamilyEvidence[]): Evidence {
  const byName = new Map(families.map((f) => [f.name, f]));
  return {
    origin,
    family(series) {
      const exact = byName.get(series);
      if (exact) return exact;
      for (const [suffix, types] of FAMILY_SUFFIXES) {
        if (!series.endsWith(suffix)) continue;
        const family = byName.get(series.slice(0, series.length - suffix.length));
        if (family && types.includes(family.type)) return family;
      }
      return undefined;
    },
  };
}

function addSeries(
  into: Map<string, Map<string, Set<string>>>,
  name: string,
  labels: Readonly<Record<string, string>>,
): void {
  let series = into.get(name);
  if (!series) {
    series = new Map();
    into.set(name, series);
  }
  for (const [label, value] of Object.entries(labels)) {
    if (label === '__name__') continue;
    let values = series.get(label);
    if (!values) {
      values = new Set();
      series.set(label, values);
    }
    values.add(value);
  }
}

/** Evidence from a Prometheus text exposition (what `curl /metrics` prints). */
export function evidenceFromExposition(text: string): Evidence {
  const families = parseExposition(text).map((family) => {
    const series = new Map<string, Map<string, Set<string>>>();
    for (const sample of family.samples) addSeries(series, sample.name, sample.labels);
    return { name: family.name, type: family.type, ...(family.help && { help: family.help }), series };
  });
  return evidenceOf('metrics-file', families);
}

const FETCH_TIMEOUT_MS = 10_000;
const KNOWN_TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary'];

async function getJson(base: string, path: string): Promise<unknown> {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new O11yError(`cannot reach Prometheus at ${url.origin}: ${(error as Error).message}`, {
      id: 'import/prometheus',
      hint: 'check --prometheus-url and that Prometheus is up',
    });
  }
  const body = (await response.json().catch(() => undefined)) as
    | { status?: string; data?: unknown }
    | undefined;
  if (!response.ok || body?.status !== 'success') {
    throw new O11yError(`Prometheus answered HTTP ${response.status} to ${url.pathname}`, {
      id: 'import/prometheus',
      hint: 'give the base URL of a Prometheus server (http://host:9090)',
    });
  }
  return body.data;
}

/**
 * Evidence from a live Prometheus: `/api/v1/metadata` for types and help, `/api/v1/series` for the
 * label values of the series the import reads (only those, so a large server is not walked).
 */
export async function evidenceFromPrometheus(
  baseUrl: string,
  seriesNames: readonly string[],
): Promise<Evidence> {
  const metadata = (await getJson(baseUrl, 'api/v1/metadata')) as Record<
    string,
    readonly { type: string; help?: string }[]
  >;
  const seriesOf = new Map<string, Map<string, Map<string, Set<string>>>>();
  const families: FamilyEvidence[] = Object.entries(metadata).flatMap(([name, entries]) => {
    const entry = entries[0];
    if (!entry) return [];
    const type = (KNOWN_TYPES.includes(entry.type) ? entry.type : 'untyped') as ExpositionType;
    const series = new Map<string, Map<string, Set<string>>>();
    seriesOf.set(name, series);
    return [{ name, type, ...(entry.help && { help: entry.help }), series }];
  });
  const evidence = evidenceOf('prometheus', families);
  for (const name of seriesNames) {
    const family = evidence.family(name);
    const into = family && seriesOf.get(family.name);
    if (!into) continue;
    const query = new URLSearchParams({ 'match[]': name });
    const series = (await getJson(baseUrl, `api/v1/series?${query}`)) as readonly Record<string, string>[];
    for (const labels of series) addSeries(into, name, labels);
  }
  return evidence;
}
