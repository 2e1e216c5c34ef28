// The verb lives in the CLI package (packages/cli/src/commands/lint.ts); it is tested here, with the checks.
import { main } from '../../cli/src/main.ts';

/** Runs `o11y <args>` in-process in `root`, as CI would, capturing what it prints. */
export async function o11y(root: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    root,
    colour: false,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
