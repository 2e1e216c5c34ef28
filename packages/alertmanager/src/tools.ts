import { execFile } from 'node:child_process';

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a pinned tool to completion; a non-zero exit is a result, not an exception. */
export function runTool(command: string, args: readonly string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, output });
      },
    );
  });
}
