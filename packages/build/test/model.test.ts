import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectModel } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../src/build.ts';
import { projectModel } from '../src/model.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('projectModel', () => {
  it('gives each part as it is made, the rules before the dashboards compile', async () => {
    const definitions = await loadDefinitions(root, { tests: false });
    const context = { root, definitions, profile: 'default', log: () => {} };
    const parts: Partial<ProjectModel>[] = [];
    const dashboardsWhenRulesCame: number[] = [];
    const model = await projectModel(context, (part) => {
      parts.push(part);
      if (part.ruleGroups?.length)
        dashboardsWhenRulesCame.push(parts.flatMap((p) => p.dashboards ?? []).length);
    });
    // The rules' part comes first, while no dashboard is compiled yet, and only once.
    expect(dashboardsWhenRulesCame).toEqual([0]);
    expect(parts[0]?.ruleGroups?.length).toBeGreaterThan(0);
    expect(parts.flatMap((part) => part.ruleGroups ?? [])).toEqual(model.ruleGroups);
    expect(parts.flatMap((part) => part.dashboards ?? [])).toEqual(model.dashboards);
    expect(model).toEqual(await projectModel(context));
  }, 120_000);
});
