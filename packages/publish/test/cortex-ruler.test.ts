import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { treeFromFiles } from '../src/built/tree.ts';
import { planRuler, publishRuler, rulerPath } from '../src/rules/ruler.ts';
import { useCortex } from './support/cortex.ts';

const API_GROUPS = `namespace: o11y-api
groups:
  - name: api
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
  - name: api-alerts
    rules:
      - alert: ApiDown
        expr: sum by (job) (up) == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: '{{ $labels.job }} is down'
`;

/** What `o11y build` writes beside the rule files: each rule with the TypeScript line that defined it. */
const RULE_INDEX = JSON.stringify({
  rules: [
    { group: 'api', name: 'job:up:sum', source: { file: 'rules/api.ts', line: 7, column: 3 } },
    { group: 'api-alerts', name: 'ApiDown', source: { file: 'rules/api.ts', line: 12, column: 3 } },
  ],
});

const cortex = useCortex();

const options = (files: Record<string, string>, more: { prune?: boolean } = {}) => ({
  url: cortex().url,
  api: 'cortex' as const,
  tree: treeFromFiles({ 'prometheus/index.json': RULE_INDEX, ...files }),
  ownedPrefix: 'o11y-',
  retry: { baseDelayMs: 10 },
  ...more,
});

async function namespaces(): Promise<Record<string, Array<{ name: string }>>> {
  const response = await fetch(`${cortex().url}${rulerPath('cortex')}`);
  if (response.status === 404) return {};
  return parse(await response.text());
}

describe('publish rules to a real Cortex ruler', () => {
  it('creates every group, reads them back, and writes nothing on the second run', async () => {
    const first = await publishRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }));
    expect(first.steps.map((s) => [s.action, s.namespace, s.group])).toEqual([
      ['create', 'o11y-api', 'api'],
      ['create', 'o11y-api', 'api-alerts'],
    ]);
    expect(first.writes).toBe(2);
    const stored = await namespaces();
    expect(stored['o11y-api']!.map((g) => g.name)).toEqual(['api', 'api-alerts']);
    const second = await publishRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }));
    expect(second.writes).toBe(0);
    expect(second.steps.every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('restores a group edited through the API', async () => {
    const drifted = {
      name: 'api',
      rules: [{ record: 'job:up:sum', expr: 'sum by (job, instance) (up)' }],
    };
    const edit = await fetch(`${cortex().url}${rulerPath('cortex', 'o11y-api')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: stringify(drifted),
    });
    expect(edit.status).toBe(202);
    const plan = await planRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }));
    expect(plan.filter((s) => s.action !== 'unchanged').map((s) => [s.action, s.group])).toEqual([
      ['update', 'api'],
    ]);
    const result = await publishRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }));
    expect(result.writes).toBe(1);
    const group = await fetch(`${cortex().url}${rulerPath('cortex', 'o11y-api', 'api')}`);
    expect(parse(await group.text()).rules[0].expr).toBe('sum by (job) (up)');
  });

  it('rejects a group with a bad expression, naming the TypeScript line of the rule', async () => {
    const broken = API_GROUPS.replace('sum by (job) (up) == 0', 'sum by (job) (up == 0');
    const error = await publishRuler(options({ 'mimir/o11y-api.yml': broken })).catch((e) => e);
    expect(error).toBeInstanceOf(O11yErrors);
    const [diagnostic, ...others] = (error as O11yErrors).diagnostics;
    expect(others).toEqual([]);
    // Cortex 1.21 answers a bad expression with an empty 400: the parser names the rule and the error.
    expect(diagnostic!.message).toBe(
      'the ruler refused group o11y-api/api-alerts (400): rule ApiDown has invalid PromQL at 1:22: unclosed left parenthesis',
    );
    expect(diagnostic!.source).toEqual({ file: 'rules/api.ts', line: 12, column: 3 });
    // The ruler kept the group it had.
    const group = await fetch(`${cortex().url}${rulerPath('cortex', 'o11y-api', 'api-alerts')}`);
    expect(parse(await group.text()).rules[0].expr).toBe('sum by (job) (up) == 0');
  });

  it('prunes only the namespaces it owns, and only when asked', async () => {
    await publishRuler(
      options({
        'mimir/o11y-api.yml': API_GROUPS,
        'mimir/o11y-old.yml': API_GROUPS.replace('o11y-api', 'o11y-old'),
      }),
    );
    const theirs = await fetch(`${cortex().url}${rulerPath('cortex', 'someone-else')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: stringify({ name: 'theirs', rules: [{ record: 'x:up', expr: 'up' }] }),
    });
    expect(theirs.status).toBe(202);
    const kept = await publishRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }));
    expect(kept.steps.filter((s) => s.action !== 'unchanged').map((s) => [s.action, s.namespace])).toEqual([
      ['keep-namespace', 'o11y-old'],
    ]);
    expect(kept.writes).toBe(0);
    const pruned = await publishRuler(options({ 'mimir/o11y-api.yml': API_GROUPS }, { prune: true }));
    expect(pruned.writes).toBe(1);
    expect(Object.keys(await namespaces()).sort()).toEqual(['o11y-api', 'someone-else']);
  });
});

describe('the ruler API paths', () => {
  it('maps Cortex to /api/v1/rules and Mimir to /prometheus/config/v1/rules', () => {
    expect(rulerPath('cortex')).toBe('/api/v1/rules');
    expect(rulerPath('cortex', 'o11y api', 'g/1')).toBe('/api/v1/rules/o11y%20api/g%2F1');
    expect(rulerPath('mimir', 'o11y-api')).toBe('/prometheus/config/v1/rules/o11y-api');
    expect(rulerPath('mimir', 'o11y-api', 'api')).toBe('/prometheus/config/v1/rules/o11y-api/api');
  });
});
