import { compareCodePoints, formatDuration, parseDuration, stableStringify } from '@o11y/core';
import { parse } from 'yaml';
import { isRecord, type Json, recordsOf } from '../json.ts';
import { matcherMeaning, matchersOf } from './matchers.ts';

const ROUTE_DURATIONS = ['group_wait', 'group_interval', 'repeat_interval'];

function canonicalDuration(value: unknown): unknown {
  try {
    return formatDuration(parseDuration(String(value)));
  } catch {
    return value;
  }
}

const sortedStrings = (value: unknown) =>
  Array.isArray(value) && value.length > 0 ? value.map(String).sort(compareCodePoints) : undefined;

function matcherSet(node: Json, prefix = ''): string[] {
  const read = matchersOf(node, prefix);
  return 'unreadable' in read ? [`unreadable ${read.unreadable}`] : read.matchers.map(matcherMeaning).sort();
}

/** Each route of the tree by its position (`route.routes[0]`), without its children. */
function routeMeanings(route: Json, at: string, into: Map<string, string>): void {
  into.set(
    at,
    stableStringify({
      receiver: route.receiver,
      matchers: matcherSet(route),
      group_by: sortedStrings(route.group_by),
      ...Object.fromEntries(
        ROUTE_DURATIONS.filter((f) => route[f] !== undefined).map((f) => [f, canonicalDuration(route[f])]),
      ),
      continue: route.continue === true,
      mute_time_intervals: sortedStrings(route.mute_time_intervals),
      active_time_intervals: sortedStrings(route.active_time_intervals),
    }),
  );
  const children = Array.isArray(route.routes) ? route.routes : [];
  for (const [index, child] of children.entries()) {
    if (isRecord(child)) routeMeanings(child, `${at}.routes[${index}]`, into);
  }
}

const byName = (items: unknown): Json[] =>
  recordsOf(items).sort((a, b) => compareCodePoints(String(a.name), String(b.name)));

const periodFields = ['weekdays', 'days_of_month', 'months', 'years'];

/** A time interval with its lists as strings, names lower-case, as Alertmanager reads them. */
function intervalMeaning(interval: Json): string {
  const periods = recordsOf(interval.time_intervals);
  return stableStringify(
    periods.map((period) => ({
      ...period,
      ...Object.fromEntries(
        periodFields
          .filter((f) => Array.isArray(period[f]))
          .map((f) => [f, (period[f] as unknown[]).map((v) => String(v).toLowerCase())]),
      ),
    })),
  );
}

/**
 * An alertmanager.yml reduced to what Alertmanager does with it, by part: `global`, `templates`,
 * each route by position, each receiver, inhibit rule and time interval by name, other fields.
 */
export function alertmanagerMeaning(document: Json): Map<string, string> {
  const parts = new Map<string, string>();
  const { global, templates, route, receivers, inhibit_rules, time_intervals, mute_time_intervals, ...rest } =
    document;
  if (isRecord(global)) {
    const resolve = global.resolve_timeout;
    parts.set(
      'global',
      stableStringify({
        ...global,
        ...(resolve !== undefined && { resolve_timeout: canonicalDuration(resolve) }),
      }),
    );
  }
  if (sortedStrings(templates)) parts.set('templates', stableStringify(sortedStrings(templates)));
  if (isRecord(route)) routeMeanings(route, 'route', parts);
  for (const receiver of byName(receivers)) parts.set(`receiver ${receiver.name}`, stableStringify(receiver));
  for (const [index, rule] of recordsOf(inhibit_rules).entries()) {
    parts.set(
      `inhibit rule ${rule.name ?? index + 1}`,
      stableStringify({
        source: matcherSet(rule, 'source_'),
        target: matcherSet(rule, 'target_'),
        equal: sortedStrings(rule.equal),
      }),
    );
  }
  for (const interval of byName([
    ...(Array.isArray(time_intervals) ? time_intervals : []),
    ...(Array.isArray(mute_time_intervals) ? mute_time_intervals : []),
  ])) {
    parts.set(`time interval ${interval.name}`, intervalMeaning(interval));
  }
  for (const [field, value] of Object.entries(rest)) parts.set(field, stableStringify(value));
  return parts;
}

/**
 * The differences between the imported alertmanager.yml (with the normalisations the report lists
 * applied) and the one built from its module: empty when the round trip holds.
 */
export function compareAlertmanagerConfigs(expected: Json, builtFile: string, builtText: string): string[] {
  const built = parse(builtText) as unknown;
  const want = alertmanagerMeaning(expected);
  const got = alertmanagerMeaning(isRecord(built) ? built : {});
  const differences: string[] = [];
  for (const [part, value] of want) {
    const other = got.get(part);
    if (other === undefined) differences.push(`${part}: missing from ${builtFile}`);
    else if (other !== value) differences.push(`${part}: differs\n  input: ${value}\n  built: ${other}`);
  }
  for (const part of got.keys())
    if (!want.has(part)) differences.push(`${part}: in ${builtFile} but not in the input`);
  return differences;
}
