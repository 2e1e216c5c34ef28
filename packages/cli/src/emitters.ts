import { emitter as alertmanager } from '@o11y/alertmanager';
import type { Emitter } from '@o11y/core';

/** The builder packages' emitters, in the order their outputs depend on each other. */
export const emitters: readonly Emitter[] = [alertmanager];
