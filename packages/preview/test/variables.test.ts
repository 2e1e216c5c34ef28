import { describe, expect, it } from 'vitest';
import type { VariableJson } from '../src/dashboard-json.ts';
import { interpolateText, resolveVariables } from '../src/variables.ts';

const region: VariableJson = {
  name: 'region',
  type: 'custom',
  query: 'eu,us,ap',
  multi: true,
  includeAll: true,
  current: { value: ['$__all'] },
};
const tier: VariableJson = {
  name: 'tier',
  type: 'custom',
  query: 'gold,silver',
  current: { value: 'silver' },
};

describe('resolveVariables', () => {
  it('keeps the saved selection, as Grafana opens the dashboard', async () => {
    const [r, t] = await resolveVariables([region, tier], undefined, 0, 60, {});
    expect(r).toMatchObject({ values: ['eu', 'us', 'ap'], all: true });
    expect(t).toMatchObject({ values: ['silver'], all: false });
    expect(interpolateText('x{region=~"$region",tier="$tier"}', [r!, t!], {}, 'query')).toBe(
      'x{region=~"(eu|us|ap)",tier="silver"}',
    );
  });

  it('takes the first option of each variable whatever was saved when asked for the first', async () => {
    const [r, t] = await resolveVariables([region, tier], undefined, 0, 60, {}, 'first');
    expect(r).toMatchObject({ values: ['eu'], all: false });
    expect(t).toMatchObject({ values: ['gold'], all: false });
  });
});
