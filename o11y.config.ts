import { defineConfig } from '@o11y/lint';
import { catalog } from './catalog/index.ts';

/**
 * How `o11y lint` checks this organisation: every check at its documented default (docs/checks/),
 * the metric catalogue the checks resolve metrics and labels against, and the series budgets that
 * fail a pull request before the series exist. Change a check with `checks: { 'area/name': 'off' |
 * severity | { severity, options } }`; silence one check for one rule, group, dashboard or panel with
 * `suppressions: [{ check, rule | group | dashboard (+ panel), reason }]` — the reason is mandatory.
 */
export default defineConfig({
  catalog,
  budgets: {
    rule: 5_000,
    group: 20_000,
    query: 2_000,
    recordedTotal: 50_000,
  },
});
