import { describe, expect, it } from 'vitest';
import { impossibleLineFilter } from '../../../src/checks/logql/impossible-line-filter.ts';
import { logsDashboard, run, runLokiRules } from '../../helpers.ts';

describe('logql/impossible-line-filter', () => {
  it('reports a kept string that a later or earlier filter drops', async () => {
    const findings = await run(
      impossibleLineFilter,
      logsDashboard(
        '{app="x"} |= "timeout" != "time"',
        '{app="x"} !~ ".*x.*" | json |= "x"',
        '{app="x"} |= "a" or "b" != "a" != "b"',
        '{app="x"} |~ "err(or)?" !~ "err(or)?"',
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      '|= "timeout" never matches: every line it keeps, != "time" drops',
      '|= "x" never matches: every line it keeps, !~ ".*x.*" drops',
      '|= "a" or "b" never matches: every line it keeps, != "a", != "b" drops',
      '|~ "err(or)?" never matches: !~ "err(or)?" drops every line it keeps',
    ]);
  });

  it('reports a regular expression RE2 refuses, in panels and Loki rules', async () => {
    const findings = await runLokiRules(impossibleLineFilter, [
      'sum(rate({app="x"} |~ "(?=foo)bar" [5m]))',
      'sum(rate({app="x"} !~ "a(b" [5m]))',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      '|~ "(?=foo)bar": Loki cannot read the regular expression "(?=foo)bar" (Go\'s RE2 has no lookaround or backreferences), so the query fails',
      '!~ "a(b": Loki cannot read the regular expression "a(b" (Go\'s RE2 has no lookaround or backreferences), so the query fails',
    ]);
  });

  it('accepts filters that can match, anchored patterns, RE2-only syntax and filters across line_format', async () => {
    const findings = await run(
      impossibleLineFilter,
      logsDashboard(
        '{app="x"} |= "time" != "timeout"',
        '{app="x"} |= "x" !~ "^x"',
        '{app="x"} |= "a" or "b" != "a"',
        '{app="x"} |= "a" != "a" or "c"',
        '{app="x"} |~ "(?P<word>\\\\w+)" |~ "(?i)error"',
        '{app="x"} |= "x" | line_format "{{.msg}}" != "x"',
        '{app="x"} |= ""',
      ),
    );
    expect(findings).toEqual([]);
  });
});
