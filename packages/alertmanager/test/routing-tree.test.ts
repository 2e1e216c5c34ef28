import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { toolPath } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { formatMatcher } from '../src/matchers.ts';
import { mapLimited } from '../src/testing/routing.ts';
import { readRoutingConfig, receiversFor } from '../src/testing/routing-tree.ts';
import { runTool } from '../src/tools.ts';
import { alerts, config, routingTests } from './fixture.ts';
import { buildDist, root } from './helpers.ts';

function combinations(domains: Record<string, readonly string[]>): Array<Record<string, string>> {
  return Object.entries(domains).reduce<Array<Record<string, string>>>(
    (sets, [name, values]) =>
      sets.flatMap((set) => values.map((value) => (value === '' ? set : { ...set, [name]: value }))),
    [{}],
  );
}

describe('routing tree evaluation', () => {
  it('agrees with amtool config routes test on every combination of the labels the fixture routes by', async () => {
    const dist = await buildDist([config, routingTests], alerts);
    const file = path.join(dist, 'alertmanager', 'alertmanager.yml');
    const tree = readRoutingConfig(await readFile(file, 'utf8'));
    const labelSets = combinations({
      alertname: ['HighErrorRate'],
      severity: ['critical', 'warning', 'info', ''],
      team: ['tills', 'books', ''],
      slo_severity: ['page', 'ticket', ''],
    });
    const amtool = toolPath('amtool', root);
    const fromAmtool = await mapLimited(labelSets, 8, async (labels) => {
      const args = Object.entries(labels).map(([name, value]) =>
        formatMatcher({ name, operator: '=', value }),
      );
      const result = await runTool(amtool, ['config', 'routes', 'test', `--config.file=${file}`, ...args]);
      expect(result.code).toBe(0);
      return result.output.split('\n')[0]!.split(',');
    });
    expect(labelSets.map((labels) => receiversFor(tree, labels))).toEqual(fromAmtool);
    expect(new Set(fromAmtool.flat()).size).toBe(5);
  });
});
