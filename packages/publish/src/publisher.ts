import type { Diagnostic } from '@o11y/core';
import type { DistTree } from './built/tree.ts';

/** One command-line option of a publish target, e.g. `--url <grafana-url>`. */
export interface PublisherOption {
  readonly type: 'string' | 'boolean';
  /** What the value is, for the help: `<url>`, `<n>`. */
  readonly value?: string;
  readonly description: string;
  /** The value is a URL: it must parse as http(s), and a password in it is never printed. */
  readonly url?: boolean;
}

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** What a publisher works with: the build, its options, the deadline and the channel for progress. */
export interface PublishContext {
  readonly tree: DistTree;
  /** The project root; relative paths in options are resolved against it. */
  readonly root: string;
  readonly values: OptionValues;
  /** Epoch milliseconds after which no request starts and no retry waits (`--timeout`). */
  readonly deadline: number;
  /** Progress a person should see: waits and why, reloads, retries. */
  readonly log: (line: string) => void;
  /** Registers a value (token, password) that must never be printed; everything printed is redacted. */
  readonly secret: (value: string) => void;
  /** The version-history message of the writes (carries the git commit). */
  readonly message: string;
}

/** What a publish would change, computed by reading the target only. */
export interface PublishPlan {
  /** One line per change (unchanged items are counted, not listed), for the terminal and the dry run. */
  readonly lines: readonly string[];
  /** Writes `apply` would make. */
  readonly changes: number;
  /**
   * Changes held back (drift, objects o11y does not own), each saying what `--force` would do.
   * `apply` skips them and publishes everything else; the publish then fails so nobody misses them.
   */
  readonly refusals: readonly Diagnostic[];
  /** The plan as data, for `--format json`. */
  readonly data: unknown;
}

export interface PublishOutcome {
  /** One line saying what was done. */
  readonly summary: string;
  readonly data: unknown;
}

/**
 * A target of `o11y publish`. A target is one module implementing this and one line in
 * `publishers.ts`; the CLI takes its options, help and behaviour from here.
 */
export interface Publisher<Plan extends PublishPlan = PublishPlan> {
  /** The target's name on the command line: `o11y publish <name>`. */
  readonly name: string;
  /** One line for `o11y publish --help`. */
  readonly summary: string;
  /** A paragraph for the help: what is written where, which token it needs. */
  readonly description: string;
  readonly options: Readonly<Record<string, PublisherOption>>;
  /** Reads the target and compares it with the build; writes nothing. Bad options throw UsageError. */
  plan(context: PublishContext): Promise<Plan>;
  /** Carries out the plan's changes (not its refusals). */
  apply(plan: Plan, context: PublishContext): Promise<PublishOutcome>;
  /** Reads the target back and throws unless it now holds what the plan meant to write. */
  verify(plan: Plan, context: PublishContext): Promise<void>;
}
