import type { CardinalityReport } from '../cardinality.ts';
import type { PrometheusClient } from './prometheus.ts';

/** What a live Prometheus says about the project's selectors, fetched once before the checks run. */
export interface LiveData {
  readonly address: string;
  /** Actual series per selector text (selectors with Grafana variables are not queried). */
  readonly selectors: ReadonlyMap<string, number>;
}

export async function fetchLiveData(
  client: PrometheusClient,
  report: CardinalityReport,
  lookbackMs: number,
): Promise<LiveData> {
  const now = Date.now();
  const selectors = new Map<string, number>();
  // A few requests at a time: enough to be quick, few enough not to load a production server.
  const queue = [...report.selectors];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift())
      selectors.set(next.text, await client.seriesCount(next.text, lookbackMs, now));
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { address: client.address, selectors };
}
