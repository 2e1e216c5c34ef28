import { describe, expect, it } from 'vitest';
import { defineCatalog, defineLogStreams } from '../src/index.ts';
import { diagnosticsOf } from './errors.ts';

describe('log streams', () => {
  it('declare the stream labels, closed ones with their values, and travel with the catalogue', () => {
    const logStreams = defineLogStreams({
      service: { values: ['api', 'worker'], description: 'The service that wrote the line' },
      pod: {},
    });
    expect(logStreams.labels.map((l) => [l.name, l.values])).toEqual([
      ['service', ['api', 'worker']],
      ['pod', undefined],
    ]);
    expect(logStreams.label('pod')).toMatchObject({ name: 'pod' });
    expect(logStreams.source.file).toMatch(/log-streams\.test\.ts$/);
    const catalog = defineCatalog([], { logStreams });
    expect(catalog.logStreams).toBe(logStreams);
    expect(catalog.with([]).logStreams).toBe(logStreams);
  });

  it('refuse bad label names and empty or repeated values, at the declaring line', () => {
    const problems = diagnosticsOf(() =>
      defineLogStreams({ 'service-name': {}, __name__: {}, level: { values: ['info', 'info'] } }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'log stream label "service-name" is not a label name',
      'log stream label "__name__" is not a label name',
      'log stream label level: values must be distinct and non-empty',
    ]);
    expect(problems[0]!.source?.file).toMatch(/log-streams\.test\.ts$/);
  });
});
