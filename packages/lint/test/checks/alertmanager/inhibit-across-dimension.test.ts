import path from 'node:path';
import { defineCatalog, defineDimensions } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { inhibitAcrossDimension } from '../../../src/checks/alertmanager/inhibit-across-dimension.ts';
import { type LintConfig, lint } from '../../../src/index.ts';
import { loadFiles } from '../../../src/load/files.ts';

const formats = path.join(import.meta.dirname, '..', '..', 'fixtures', 'formats');

async function findings(config: LintConfig, file = 'alertmanager/alertmanager.yml') {
  const loaded = await loadFiles([file], formats);
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
});
