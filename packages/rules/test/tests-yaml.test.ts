import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/emit/plan.ts';
import { suiteYaml } from '../src/emit/tests-yaml.ts';
import type { RuleGroup } from '../src/group.ts';
import type { RuleTests } from '../src/promtool/suite.ts';

const files = Array.from({ length: 50 }, (_, i) => `team/file-${String(i).padStart(2, '0')}`);
const groups = files.map((file) => ({ name: `group of ${file}`, file, rules: [] }) as unknown as RuleGroup);

/** A plan whose rule files count how often one of them is read. */
function countingPlan() {
  const counter = { reads: 0 };
  const ruleFiles = new Proxy(
    groups.map((group) => ({ file: group.file, groups: [group] })),
    {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads += 1;
        return Reflect.get(target, key, receiver);
      },
    },
  );
  const plan = { ruleFiles, tests: [], slos: [], fileOf: new Map(), lokiNamespaces: [] } as unknown as Plan;
  return { plan, counter };
}

function suite(file: string, of: readonly RuleGroup[]): RuleTests {
  return { file, groups: of, tests: [], evaluationInterval: '1m' } as unknown as RuleTests;
}

describe('promtool test files', () => {
  it('load their rule files in the order of the plan, whatever the order of the suite', () => {
    const { plan } = countingPlan();
    const { yaml } = suiteYaml(suite('late-first', [groups[7]!, groups[2]!]), plan);
    expect(yaml.rule_files).toEqual(['../rules/team/file-07.yml', '../rules/team/file-02.yml']);
    expect(yaml.group_eval_order).toEqual(['group of team/file-02', 'group of team/file-07']);
  });

  it('find each suite its rule files without reading every rule file of the plan again', () => {
    const { plan, counter } = countingPlan();
    for (const [index, group] of groups.entries()) suiteYaml(suite(`suite-${index}`, [group]), plan);
    // Once for the plan, and each suite its own file: not every file for every suite (2,500 reads).
    expect(counter.reads).toBeLessThanOrEqual(2 * files.length);
  });
});
