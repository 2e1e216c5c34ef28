import { tester as alertmanager } from '@o11y/alertmanager';
import type { Tester } from '@o11y/core';
import { tester as promtool } from '@o11y/rules';

/** The builder packages' test runners: promtool rule tests with coverage, then routing and inhibition. */
export const testers: readonly Tester[] = [promtool, alertmanager];
