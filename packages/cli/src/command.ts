/**
 * One verb of the `o11y` CLI. Each file in `src/commands/` exports `command`; the CLI loads every
 * module of that folder, so a verb is one file there and nothing else.
 */
export interface Command {
  /** The verb, e.g. `build`, `lint`, `promql`. */
  readonly name: string;
  /** One line for `o11y --help`. */
  readonly summary: string;
  /**
   * The full `o11y <verb> --help` text: usage, options, exit codes. A function when the text comes
   * from modules too heavy to load for every command (the publishers).
   */
  readonly help: string | (() => Promise<string>);
  /** Returns the exit code: 0 ok, 1 findings or failures, 2 usage or internal error. */
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The project root (the directory whose package.json declares workspaces). */
  readonly root: string;
  /** Whether ANSI colour may be used on stdout (TTY and no NO_COLOR). */
  readonly colour: boolean;
  /** Whether a person watches stderr (a TTY): progress and timings are shown without being asked for. */
  readonly terminal?: boolean;
}

/** A verb's help text, whichever form the verb gives it in. */
export async function helpOf(command: Command): Promise<string> {
  return typeof command.help === 'string' ? command.help : command.help();
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export { UsageError } from '@o11y/core';
