import { init } from '@o11y/promql';
import { beforeAll, expect, test } from 'vitest';
import { compareRuleSets } from '../src/index.ts';
import { loadRuleInputs } from '../src/rules/load.ts';

beforeAll(() => init());

const INPUT = `groups:
  - name: Api alerts
    interval: 60s
    rules:
      - alert: Slow
        expr: histogram_quantile(0.9, sum by (le) (rate(latency_bucket{job="api"}[5m]))) > 0.3
        for: 0s
        labels: { severity: warning, team: api }
        annotations: { summary: s, description: d }
`;

test('spelling, canonical durations, for: 0s and the group-name rename are not differences', () => {
  const built = `groups:
  - name: Api-alerts
    interval: 1m
    rules:
      - alert: Slow
        expr: histogram_quantile(0.9, sum by (le) (rate(latency_bucket{job="api"}[5m]))) > 0.3
        labels: { team: api, severity: warning }
        annotations: { description: d, summary: s }
`;
  expect(compareRuleSets(loadRuleInputs('in.yml', INPUT)[0]!, 'out.yml', built)).toEqual([]);
});

test('a changed threshold, a lost label or a missing group is a difference', () => {
  const built = `groups:
  - name: Api-alerts
    interval: 1m
    rules:
      - alert: Slow
        expr: histogram_quantile(0.9, sum by (le) (rate(latency_bucket{job="api"}[5m]))) > 0.4
        labels: { severity: warning }
        annotations: { description: d, summary: s }
  - name: extra
    rules:
      - record: x
        expr: vector(1)
`;
  const differences = compareRuleSets(loadRuleInputs('in.yml', INPUT)[0]!, 'out.yml', built);
  expect(differences).toHaveLength(2);
  expect(differences[0]).toMatch(/^group Api-alerts: differs/);
  expect(differences[1]).toBe('group extra: in out.yml but not in in.yml');
});
