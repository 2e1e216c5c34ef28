import { tester as alertmanager } from '@o11y/alertmanager';
import type { Tester } from '@o11y/core';

/** The builder packages' test runners (promtool rule tests, routing and inhibition tests). */
export const testers: readonly Tester[] = [alertmanager];
