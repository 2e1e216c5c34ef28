import { defineProject } from '@o11y/core';
import { defineConfig } from '@o11y/lint';
import { catalog } from './catalog/index.ts';

/**
 * Where this organisation keeps its definitions: `o11y build` imports every module under these folders;
 * rules/tests holds only promtool tests, which `o11y lint` does not load; the catalogue module exports
 * the metric catalogue (`o11y catalog check` and the sample service read it from there).
 */
export const project = defineProject({
  definitions: ['rules', 'dashboards', 'alertmanager'],
  tests: ['rules/tests'],
  catalog: 'catalog/index.ts',
});

/**
 * How `o11y lint` checks this organisation: every check at its documented default (docs/checks/),
 * the metric catalogue the checks resolve metrics and labels against, and the series budgets that
 * fail a pull request before the series exist. Change a check with `checks: { 'area/name': 'off' |
 * severity | { severity, options } }`; silence one check for one rule, group, dashboard or panel with
 * `suppressions: [{ check, rule | group | dashboard (+ panel), reason }]` — the reason is mandatory.
 */
export default defineConfig({
  catalog,
  suppressions: [
    ...['Active users', 'Revenue'].map((panel) => ({
      check: 'dashboard/variable-ignored',
      dashboard: 'executive-summary',
      panel,
      reason:
        'business totals of the whole shop: $service picks the services of the other panels, not who sells',
    })),
  ],
  budgets: {
    rule: 5_000,
    group: 20_000,
    query: 2_000,
    recordedTotal: 50_000,
  },
});
