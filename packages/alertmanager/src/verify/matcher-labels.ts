import { compareCodePoints, type Diagnostic, type SourceLocation } from '@o11y/core';
import type { AlertmanagerConfig } from '../config.ts';
import type { LabelVocabulary } from '../labels.ts';
import { formatMatcher, literalAlternatives, type Matcher } from '../matchers.ts';
import type { Route } from '../route.ts';
import { ANY_VALUE, type EmittedLabels } from './alert-labels.ts';

const ID = 'alertmanager/unemitted-label';

/** Where a matcher was written, for the message: a route, or one side of an inhibit rule. */
interface MatcherSite {
  readonly what: string;
  readonly matchers: readonly Matcher[];
  readonly source: SourceLocation;
}

function routeSites<V extends LabelVocabulary>(route: Route<V>): MatcherSite[] {
  return [
    { what: 'route', matchers: route.matchers, source: route.source },
    ...route.children.flatMap(routeSites),
  ];
}

function listed(values: Iterable<string>): string {
  return [...values]
    .sort(compareCodePoints)
    .map((v) => JSON.stringify(v))
    .join(', ');
}

/** The literal values a matcher compares with; none for a real regex, whose values cannot be listed. */
function comparedValues(matcher: Matcher): string[] {
  const values = matcher.operator.endsWith('~')
    ? (literalAlternatives(matcher.value) ?? [])
    : [matcher.value];
  // `name=""` selects alerts without the label, which every label name allows.
  return values.filter((value) => value !== '');
}

function checkLabelName(site: MatcherSite, name: string, text: string, emitted: EmittedLabels): Diagnostic[] {
  if (emitted.has(name)) return [];
  return [
    {
      severity: 'error',
      message: `${site.what} ${text} names label "${name}", which no alert of the build carries`,
      source: site.source,
      id: ID,
      hint: `use a label the alerting rules set (${listed(emitted.keys())}), or set "${name}" in the rules first`,
    },
  ];
}

function checkMatcher(site: MatcherSite, matcher: Matcher, emitted: EmittedLabels): Diagnostic[] {
  const text = formatMatcher(matcher);
  const named = checkLabelName(site, matcher.name, text, emitted);
  const known = emitted.get(matcher.name);
  if (named.length > 0 || known === undefined || known === ANY_VALUE) return named;
  const unknown = comparedValues(matcher).filter((value) => !known.has(value));
  if (unknown.length === 0) return [];
  return [
    {
      severity: 'error',
      message: `${site.what} ${text} compares "${matcher.name}" with ${listed(unknown)}, which no alert of the build gives it`,
      source: site.source,
      id: ID,
      hint: `the alerting rules give "${matcher.name}" the values ${listed(known)}: fix the value, drop the matcher, or add a rule that emits it`,
    },
  ];
}

/**
 * Every label name a route or inhibit rule matches on, and every literal value it compares with, must
 * be one some alert of `dist/prometheus/alerts.json` can carry: otherwise the matcher never matches
 * (or, negated, always does) and the route or inhibition it guards is dead or wrong. Labels the
 * expressions keep, and templated labels, take any value. The vocabulary types catch typos in the
 * editor; this check ties the config to the rules actually built.
 */
export function checkMatcherLabels(
  config: AlertmanagerConfig<LabelVocabulary>,
  emitted: EmittedLabels,
): Diagnostic[] {
  const sites: MatcherSite[] = [...routeSites(config.root)];
  const problems: Diagnostic[] = [];
  for (const rule of config.inhibitRules) {
    sites.push(
      {
        what: `inhibit rule "${rule.name}" source`,
        matchers: rule.sourceMatching.matchers,
        source: rule.source,
      },
      {
        what: `inhibit rule "${rule.name}" target`,
        matchers: rule.targetMatching.matchers,
        source: rule.source,
      },
    );
    const site = { what: `inhibit rule "${rule.name}"`, matchers: [], source: rule.source };
    for (const name of rule.equalLabels) problems.push(...checkLabelName(site, name, 'equal', emitted));
  }
  for (const site of sites) {
    for (const matcher of site.matchers) problems.push(...checkMatcher(site, matcher, emitted));
  }
  return problems;
}
