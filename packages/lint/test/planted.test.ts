import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildContext, type Definition, isDefinition, kindOf, type ProjectModel } from '@o11y/core';
import { emitter as dashboardsEmitter } from '@o11y/dashboards';
import { emitter as rulesEmitter } from '@o11y/rules';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/lint.ts';
import { testCatalog } from './catalog.ts';
import * as plantedDashboards from './fixtures/planted/dashboards.ts';
import * as plantedRules from './fixtures/planted/rules.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE_FILES = ['rules.ts', 'dashboards.ts'];

/** `file:line check-id` for every `// defect: check-id` comment of the fixture: the line below it. */
function plantedDefects(): string[] {
  return FIXTURE_FILES.flatMap((name) => {
    const file = `packages/lint/test/fixtures/planted/${name}`;
    return readFileSync(path.join(here, 'fixtures', 'planted', name), 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const id = /^\s*\/\/ defect: ([\w/-]+)$/.exec(line)?.[1];
        return id ? [`${file}:${index + 2} ${id}`] : [];
      });
  }).sort();
}

/** The model the builder packages hand to `o11y lint`, made with their real emitters. */
async function model(): Promise<ProjectModel> {
  const exported: unknown[] = [...Object.values(plantedRules), ...Object.values(plantedDashboards)];
  const definitions: Definition[] = exported.filter(isDefinition);
  const context: BuildContext = {
    root: path.join(here, '..', '..', '..'),
    definitions,
    profile: 'default',
    log: () => {},
  };
  const parts = [];
  for (const emitter of [rulesEmitter, dashboardsEmitter]) {
    const own = definitions.filter((d) => emitter.kinds.includes(kindOf(d)));
    parts.push(await emitter.model!(own, context));
  }
  return {
    ruleGroups: parts.flatMap((p) => p.ruleGroups ?? []),
    dashboards: parts.flatMap((p) => p.dashboards ?? []),
    scrapeJobs: parts.flatMap((p) => p.scrapeJobs ?? []),
  };
}

describe('planted defects', () => {
  it('reports each planted defect with its check id at its TypeScript line, and nothing else', async () => {
    const result = await lint(await model(), {
      config: {
        catalog: testCatalog,
        budgets: { rule: 250 },
        checks: {
          'promql/raw-expression': 'off',
          // Every planted recording rule but one is "read elsewhere", so only the planted unused one is.
          'rules/unused-recording': {
            options: { external: ['job:.*', 'job_method:.*', 'route_instance:.*', 'http_request_rate'] },
          },
        },
      },
    });
    const reported = result.findings.map((f) => `${f.source?.file}:${f.source?.line} ${f.id}`).sort();
    const expected = plantedDefects();
    expect(expected.length).toBe(25);
    expect(reported).toEqual(expected);
  });
});
