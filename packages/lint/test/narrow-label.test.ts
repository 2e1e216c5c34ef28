import { label } from '@o11y/catalog';
import { init, parse } from '@o11y/promql';
import { describe, expect, it } from 'vitest';
import { narrowLabel, ShapeResolver } from '../src/analysis/shape.ts';
import type { KnownSeries } from '../src/series.ts';

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

describe('a selector that leaves a listed label alone', () => {
  it("takes the series index's one bound of it, not a new bound per selector", async () => {
    await init();
    const up: KnownSeries = {
      name: 'up',
      kind: 'gauge',
      type: 'gauge',
      specs: { job: jobs, instance: label.values(['a', 'b']) },
      jointCaps: [],
      scrapedBy: [],
      origins: [],
    };
    const resolver = new ShapeResolver((name) => (name === 'up' ? up : undefined));
    const [plain, onInstance, onJob] = ['up', 'up{instance="a"}', 'up{job="api"}'].map((text) => {
      const parsed = parse(text);
      if (!parsed.ok) throw new Error(text);
      return resolver.shape(parsed.expr);
    });
    expect(onInstance!.labels.get('job')).toBe(plain!.labels.get('job'));
    expect(plain!.labels.get('job')).toEqual({ count: 3, values: ['api', 'checkout', 'worker'] });
    expect(onInstance!.labels.get('instance')).toEqual({ count: 1, values: ['a'] });
    expect(onJob!.labels.get('job')).toEqual({ count: 1, values: ['api'] });
    expect(onJob!.labels.get('instance')).toBe(plain!.labels.get('instance'));
  });
});
