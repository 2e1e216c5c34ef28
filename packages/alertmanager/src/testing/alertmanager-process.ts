import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunningServer, startServer } from '@o11y/core';

/**
 * Starts the pinned Alertmanager on 127.0.0.1 with `configYaml`, its own storage and debug logs (the
 * inhibition runner reports them on failure); the scratch directory goes when it is stopped.
 */
export async function startAlertmanager(
  binary: string,
  configYaml: string,
  options: { readyTimeoutMs?: number } = {},
): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'o11y-alertmanager-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, configYaml);
  try {
    const running = await startServer({
      binary,
      args: (port) => [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      timeoutMs: options.readyTimeoutMs ?? 20_000,
    });
    return {
      ...running,
      stop: async () => {
        await running.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
