import { defineCatalog, defineLogStreams } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { unknownStreamLabel } from '../../../src/checks/logql/unknown-stream-label.ts';
import { logsDashboard, run, runLokiRules } from '../../helpers.ts';

const catalog = defineCatalog([], {
  logStreams: defineLogStreams({ service: { values: ['api', 'worker'] }, environment: {}, pod: {} }),
});

describe('logql/unknown-stream-label', () => {
  it('reports a selector label no stream has, listing the stream labels', async () => {
    const findings = await run(
      unknownStreamLabel,
      logsDashboard('{servce="api"} |= "x"', 'sum(rate({service="api", env!="dev"}[5m]))'),
      { catalog },
    );
    expect(findings.map((f) => [f.message, f.expression?.span])).toEqual([
      [
        'no log stream has label "servce"; the stream labels are service, environment, pod',
        { start: 1, end: 13 },
      ],
      [
        'no log stream has label "env"; the stream labels are service, environment, pod',
        { start: 25, end: 35 },
      ],
    ]);
    expect(findings[0]).toMatchObject({ id: 'logql/unknown-stream-label', severity: 'error' });
  });

  it('leaves labels a pipeline extracts alone, and checks Loki rules too', async () => {
    const ok = await run(
      unknownStreamLabel,
      logsDashboard('{service="api", pod=~"api-.+"} | json | level="error"'),
      { catalog },
    );
    expect(ok).toEqual([]);
    const rules = await runLokiRules(unknownStreamLabel, ['sum(rate({app="api"}[5m]))'], { catalog });
    expect(rules.map((f) => f.source?.line)).toEqual([2]);
  });

  it('says nothing when the catalogue declares no log streams', async () => {
    expect(await run(unknownStreamLabel, logsDashboard('{servce="api"}'))).toEqual([]);
  });
});
