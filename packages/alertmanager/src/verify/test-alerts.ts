import type { Diagnostic, SourceLocation } from '@o11y/core';
import type { TestsFile } from '../testing/cases.ts';
import type { AlertEntry } from '../testing/coverage.ts';
import { ANY_VALUE, labelsOf } from './alert-labels.ts';

const ID = 'alertmanager/unknown-test-alert';

/** Why an alert of the rules cannot carry the labels of a test case; empty when it can. */
function mismatches(alert: AlertEntry, labels: Readonly<Record<string, string>>): string[] {
  const carried = labelsOf(alert);
  const problems: string[] = [];
  for (const [name, value] of carried) {
    if (value !== ANY_VALUE && labels[name] !== value) {
      problems.push(`${name} is "${value}"${labels[name] === undefined ? ', the case omits it' : ''}`);
    }
  }
  for (const name of Object.keys(labels)) {
    if (!carried.has(name)) problems.push(`it never carries "${name}"`);
  }
  return problems;
}

function checkAlert(
  what: string,
  labels: Readonly<Record<string, string>>,
  source: SourceLocation,
  byName: ReadonlyMap<string, readonly AlertEntry[]>,
): Diagnostic[] {
  const name = labels.alertname ?? '';
  const candidates = byName.get(name);
  if (!candidates) {
    return [
      {
        severity: 'error',
        message: `${what} uses alert "${name}", which no alerting rule of the build defines`,
        source,
        id: ID,
        hint: 'build the case from the rule it tests (its name and labels), so it follows the rule',
      },
    ];
  }
  const closest = candidates
    .map((alert) => ({ alert, problems: mismatches(alert, labels) }))
    .reduce((best, next) => (next.problems.length < best.problems.length ? next : best));
  if (closest.problems.length === 0) return [];
  return [
    {
      severity: 'error',
      message: `${what} gives alert "${name}" labels it cannot have: ${closest.problems.join('; ')}`,
      source,
      id: ID,
      hint: `the closest rule is at ${closest.alert.source.file}:${closest.alert.source.line}; take its static labels and only set labels its expression keeps`,
    },
  ];
}

/**
 * Routing and inhibition cases must describe alerts the rules really produce: an alert name of
 * `dist/prometheus/alerts.json`, its static labels, and otherwise only labels its expression keeps or
 * templates. A case about an invented alert tests a config nobody runs.
 */
export function checkTestAlerts(tests: TestsFile, alerts: readonly AlertEntry[]): Diagnostic[] {
  const byName = new Map<string, AlertEntry[]>();
  for (const alert of alerts) byName.set(alert.alert, [...(byName.get(alert.alert) ?? []), alert]);
  return [
    ...tests.routing.flatMap((c) => checkAlert(`routing case "${c.name}"`, c.labels, c.source, byName)),
    ...tests.inhibition.flatMap((c) => [
      ...checkAlert(`inhibition case "${c.name}" (firing)`, c.firing, c.source, byName),
      ...checkAlert(`inhibition case "${c.name}" (target)`, c.target, c.source, byName),
    ]),
  ];
}
