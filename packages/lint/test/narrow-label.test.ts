import { label } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { narrowLabel } from '../src/analysis/shape.ts';

const jobs = label.values(['api', 'checkout', 'worker']);
const on = (op: '=' | '!=' | '=~' | '!~', value: string) => ({ name: 'job', op, value }) as const;

describe('narrowLabel of a listed label', () => {
  it('is the list itself when no matcher narrows it, not a copy per selector', () => {
    // `job` lists every service's job: a copy for each selector grew with the square of the services.
    const bound = narrowLabel(jobs, []);
    expect(bound).toEqual({ count: 3, values: ['api', 'checkout', 'worker'] });
    expect(bound.values).toBe(jobs.kind === 'values' ? jobs.values : undefined);
  });

  it('keeps the values each matcher allows, the list unchanged', () => {
    expect(narrowLabel(jobs, [on('=', 'api')])).toEqual({ count: 1, values: ['api'] });
    expect(narrowLabel(jobs, [on('!=', 'api'), on('=~', 'c.*|w.*')])).toEqual({
      count: 2,
      values: ['checkout', 'worker'],
    });
    expect(narrowLabel(jobs, [on('!~', '.*')])).toEqual({ count: 0, values: [] });
    expect(jobs).toMatchObject({ values: ['api', 'checkout', 'worker'] });
  });
});
