import type { AlertEntry } from '../testing/coverage.ts';

/** A label whose value is only known at run time: kept from the expression, or a templated static label. */
export const ANY_VALUE = Symbol('any value');

/** Label name → the values the alerts of the build give it, or ANY_VALUE; `alertname` → the alert names. */
export type EmittedLabels = ReadonlyMap<string, ReadonlySet<string> | typeof ANY_VALUE>;

function isTemplated(value: string): boolean {
  return value.includes('{{');
}

/** The labels one alert carries: its static values, ANY_VALUE for templated and kept-only labels. */
export function labelsOf(alert: AlertEntry): Map<string, string | typeof ANY_VALUE> {
  const labels = new Map<string, string | typeof ANY_VALUE>([['alertname', alert.alert]]);
  for (const name of alert.keptLabels) labels.set(name, ANY_VALUE);
  for (const [name, value] of Object.entries(alert.labels)) {
    labels.set(name, isTemplated(value) ? ANY_VALUE : value);
  }
  return labels;
}

/** Every label the alerts of `dist/prometheus/alerts.json` can carry, with the values they can take. */
export function emittedLabels(alerts: readonly AlertEntry[]): EmittedLabels {
  const emitted = new Map<string, Set<string> | typeof ANY_VALUE>();
  for (const alert of alerts) {
    for (const [name, value] of labelsOf(alert)) {
      const known = emitted.get(name);
      if (known === ANY_VALUE) continue;
      if (value === ANY_VALUE) emitted.set(name, ANY_VALUE);
      else emitted.set(name, (known ?? new Set<string>()).add(value));
    }
  }
  return emitted;
}
