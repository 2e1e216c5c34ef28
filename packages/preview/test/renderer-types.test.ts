import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../src/renderer.ts';

// The renderer is typed against @grafana/ui's and React's own declarations, which only its own
// install (setup's preview phase) has; the workspace typecheck cannot see them, so it is checked here.
describe('the renderer', () => {
  it('typechecks against the installed @grafana/ui, @grafana/data and React', async () => {
    const tsc = path.join(
      path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
      'bin',
      'tsc',
    );
    // Asynchronously: tsc takes long enough that a blocking call would starve the test worker.
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', RENDERER_DIR], {
      encoding: 'utf8',
    }).then(
      ({ stdout, stderr }) => stdout + stderr,
      (error: { stdout?: string; stderr?: string; message: string }) =>
        `${error.stdout ?? ''}${error.stderr ?? ''}` || error.message,
    );
    expect(result).toBe('');
  });
});
