import { O11yError, O11yErrors } from '@o11y/core';

/** Runs `build` and returns the O11yError it throws; fails the test when nothing is thrown. */
export function errorOf(build: () => unknown): O11yError {
  try {
    build();
  } catch (error) {
    if (error instanceof O11yError) return error;
    throw error;
  }
  throw new Error('expected an O11yError');
}

/** Runs `build` and returns the diagnostics of the O11yErrors it throws; fails the test when nothing is thrown. */
export function diagnosticsOf(build: () => unknown): O11yErrors['diagnostics'] {
  try {
    build();
  } catch (error) {
    if (error instanceof O11yErrors) return error.diagnostics;
    throw error;
  }
  throw new Error('expected O11yErrors');
}
