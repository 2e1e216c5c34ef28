import { O11yError } from '@o11y/core';
import type { HttpClient } from '../http/client.ts';
import { type FileBackup, replaceFiles, restoreFiles, snapshotFiles, unchanged } from './replace.ts';

/** `POST /-/reload` (Prometheus with --web.enable-lifecycle, Alertmanager): the server re-reads its files. */
export async function postReload(client: HttpClient, product: string): Promise<void> {
  const response = await client.request('POST', '/-/reload');
  if (response.status !== 200) {
    throw new O11yError(
      `${product} refused the new files on reload (HTTP ${response.status}): ${client.redact(response.text.trim())}`,
      {
        id: 'publish/reload',
        hint:
          response.status === 403 || response.status === 404
            ? `start ${product} with --web.enable-lifecycle so /-/reload is served`
            : 'fix the definition named above and rebuild; the previous files were put back',
      },
    );
  }
}

export interface SwapResult {
  /** False when the files already held this content: nothing was written or reloaded. */
  readonly changed: boolean;
}

/**
 * Replace files a server reads, reload it and verify the result; on any failure put the previous
 * files back, reload again and rethrow, so the server keeps running its last good configuration.
 */
export async function swapReloadVerify(options: {
  readonly dir: string;
  readonly files: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
  readonly client: HttpClient;
  readonly product: string;
  readonly verify: () => Promise<void>;
}): Promise<SwapResult> {
  const current = await snapshotFiles(options.dir, [...options.files.keys(), ...options.remove]);
  if (unchanged(current, options.files, options.remove)) return { changed: false };
  const backup: FileBackup = await replaceFiles(options.dir, options.files, options.remove);
  try {
    await postReload(options.client, options.product);
    await options.verify();
  } catch (error) {
    await restoreFiles(backup);
    try {
      await postReload(options.client, options.product);
    } catch (rollbackError) {
      throw new O11yError(
        `${(error as Error).message}\nrolling back also failed: ${(rollbackError as Error).message}`,
        {
          id: 'publish/rollback',
          hint: `check ${options.product} now: it may be running without the expected files`,
        },
      );
    }
    if (error instanceof O11yError) {
      throw new O11yError(`${error.message} (rolled back to the previous files)`, {
        id: error.id,
        hint: error.hint,
        source: error.source,
      });
    }
    throw error;
  }
  return { changed: true };
}
