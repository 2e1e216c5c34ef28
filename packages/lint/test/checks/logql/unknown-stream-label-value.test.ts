import { defineCatalog, defineLogStreams } from '@o11y/catalog';
import { describe, expect, it } from 'vitest';
import { unknownStreamLabelValue } from '../../../src/checks/logql/unknown-stream-label-value.ts';
import { logsDashboard, run } from '../../helpers.ts';

const catalog = defineCatalog([], {
  logStreams: defineLogStreams({ service: { values: ['api', 'worker'] }, pod: {} }),
});

describe('logql/unknown-stream-label-value', () => {
  it('warns about a value, or a regular expression, outside a closed label set', async () => {
    const findings = await run(
      unknownStreamLabelValue,
      logsDashboard('{service="apii"}', 'sum(rate({service=~"web|db"}[5m]))'),
      { catalog },
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'service="apii" matches none of the values of stream label service: api, worker'],
      ['warning', 'service=~"web|db" matches none of the values of stream label service: api, worker'],
    ]);
  });

  it('accepts listed values, matching regular expressions, exclusions, variables and open labels', async () => {
    const findings = await run(
      unknownStreamLabelValue,
      logsDashboard(
        '{service="api"}',
        '{service=~"wor.+"}',
        '{service="api", service!="gone"}',
        '{service=~"$service"}',
        '{service="api", pod="anything"}',
      ),
      { catalog },
    );
    expect(findings).toEqual([]);
  });
});
