import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineCatalog, defineDimensions } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { inhibitAcrossDimension } from '../../../src/checks/alertmanager/inhibit-across-dimension.ts';
import { type LintConfig, lint } from '../../../src/index.ts';
import { loadFiles } from '../../../src/load/files.ts';

const formats = path.join(import.meta.dirname, '..', '..', 'fixtures', 'formats');

async function findings(config: LintConfig, file = 'alertmanager/alertmanager.yml', dir = formats) {
  const loaded = await loadFiles([file], dir);
  const result = await lint(loaded.model, {
    sources: loaded.sources,
    checks: [inhibitAcrossDimension],
    config,
  });
  return result.findings.map((f) => [f.source?.line, f.message, f.hint, f.severity]);
}

const catalog = (multiCluster: boolean) =>
  defineCatalog([], {
    dimensions: defineDimensions({
      environment: { values: ['production', 'staging'], source: 'target' },
      cluster: { source: 'external_labels', enabled: multiCluster },
    }),
  });

describe('alertmanager/inhibit-across-dimension', () => {
  it('reports an inhibition whose equal leaves out a dimension of the catalogue, external_labels ones too', async () => {
    const message = (label: string) =>
      `inhibit_rules[0] does not require an equal "${label}": a firing alert of one ${label} mutes the matching alerts of every other`;
    expect(await findings({ catalog: catalog(false) })).toEqual([
      [32, message('environment'), 'add environment to equal', 'warning'],
    ]);
    expect((await findings({ catalog: catalog(true) })).map((f) => f[1])).toEqual([
      message('cluster'),
      message('environment'),
    ]);
  });

  it('takes the dimensions of plain files from its option, and is quiet without any', async () => {
    const options = (labels: string[]) => ({
      checks: {
        'alertmanager/inhibit-across-dimension': { severity: 'warning' as const, options: { labels } },
      },
    });
    expect((await findings(options(['namespace', 'region']))).map((f) => f[1])).toEqual([
      'inhibit_rules[0] does not require an equal "region": a firing alert of one region mutes the matching alerts of every other',
    ]);
    expect(await findings({})).toEqual([]);
  });

  it('does not report an inhibition whose two sides keep to one same value of the dimension', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'o11y-inhibit-'));
    try {
      writeFileSync(
        path.join(dir, 'alertmanager.yml'),
        [
          'route: { receiver: default }',
          'receivers: [{ name: default }]',
          'inhibit_rules:',
          '  - source_matchers: [severity="critical", environment="production"]',
          '    target_matchers: [severity="warning", environment="production"]',
          '    equal: [alertname]',
          '  - source_match: { severity: critical, environment: production }',
          '    target_match: { severity: warning, environment: staging }',
          '    equal: [alertname]',
          '',
        ].join('\n'),
      );
      expect((await findings({ catalog: catalog(false) }, 'alertmanager.yml', dir)).map((f) => f[1])).toEqual(
        [
          'inhibit_rules[1] does not require an equal "environment": a firing alert of one environment mutes the matching alerts of every other',
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
