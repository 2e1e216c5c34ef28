import { expect, it } from 'vitest';

import {
  constantVariable,
  customVariable,
  dashboard,
  intervalVariable,
  panel,
  textboxVariable,
  withVerbatim,
} from '../src/index.ts';

const built = (...variables: Parameters<ReturnType<typeof dashboard>['variables']>) =>
  dashboard('Variables')
    .variables(...variables)
    .header([panel('text', 'Notes')])
    .compile();

it('custom, constant, interval and textbox variables build the classic JSON of their type', () => {
  const { json, model } = built(
    customVariable('quantile', ['0.5', '0.9', '0.99'], { multi: true }),
    constantVariable('tier', 'standard'),
    intervalVariable('window', ['1m', '5m'], { title: 'Window' }),
    textboxVariable('prefix', 'api'),
  );
  const byName = new Map((json.templating?.list ?? []).map((v) => [v.name, v]));
  expect(byName.get('quantile')).toMatchObject({
    type: 'custom',
    label: 'Quantile',
    query: '0.5,0.9,0.99',
    multi: true,
    includeAll: true,
  });
  expect(byName.get('tier')).toMatchObject({ type: 'constant', query: 'standard' });
  expect(byName.get('window')).toMatchObject({ type: 'interval', label: 'Window', query: '1m,5m' });
  expect(byName.get('prefix')).toMatchObject({ type: 'textbox', query: 'api' });
  expect(model.variables).toContainEqual({ name: 'window', type: 'interval', query: '1m,5m' });
});

it('withVerbatim lays raw fields over a typed variable, and only those are outside the schema check', () => {
  const compiled = built(withVerbatim(constantVariable('tier', 'standard'), { hide: 2, skipUrlSync: true }));
  const index = (compiled.json.templating?.list ?? []).findIndex((v) => v.name === 'tier');
  expect(compiled.json.templating?.list?.[index]).toMatchObject({
    type: 'constant',
    query: 'standard',
    hide: 2,
    skipUrlSync: true,
  });
  expect(compiled.verbatimPaths).toEqual(
    expect.arrayContaining([`/templating/list/${index}/hide`, `/templating/list/${index}/skipUrlSync`]),
  );
  expect(compiled.verbatimPaths).not.toContain(`/templating/list/${index}`);
});

it('a typed variable refuses an invalid name', () => {
  expect(() => customVariable('not a name', ['a'])).toThrow('"not a name" is not a valid variable name');
});
