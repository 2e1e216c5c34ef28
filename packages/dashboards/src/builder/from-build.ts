import { captureSource, type Definition, type SourceLocation } from '@o11y/core';

/** The line that registered the completion running now, if one is running. */
let completing: SourceLocation | undefined;

/**
 * Where the builder call being made was written. While a dashboard is completed from the build (see
 * `Dashboard.fromBuild`), that is the line that asked for the completion: panels, rows and queries made
 * then point at the user's code, not at the build that runs it.
 */
export function builderSource(): SourceLocation {
  return completing ?? captureSource();
}

/** Content of a dashboard that depends on everything the build collected (every SLO of every module). */
export interface BuildCompletion {
  readonly source: SourceLocation;
  readonly fill: (definitions: readonly Definition[]) => void;
}

export function runCompletion(completion: BuildCompletion, definitions: readonly Definition[]): void {
  completing = completion.source;
  try {
    completion.fill(definitions);
  } finally {
    completing = undefined;
  }
}
