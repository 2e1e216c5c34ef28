import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/processes.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'o11y-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A server whose first start loses its port to another process, the way Node reports it: an uncaught
 * EADDRINUSE with a stack trace and Node's version after the message.
 */
const server = path.join(dir, 'server.mjs');
writeFileSync(
  server,
  `import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
const [port, marker] = process.argv.slice(2);
if (!existsSync(marker)) {
  writeFileSync(marker, '');
  createServer().listen(Number(port), '127.0.0.1', () => createServer().listen(Number(port), '127.0.0.1'));
} else {
  createServer((_, response) => response.end('ready')).listen(Number(port), '127.0.0.1');
}
`,
);

describe('startServer', () => {
  it('starts again on another port when the first was taken, even when the crash logs a stack trace', async () => {
    const marker = path.join(dir, 'first-attempt-done');
    const running = await startServer({
      binary: process.execPath,
      args: (port) => [server, String(port), marker],
      readyPath: '/',
    });
    try {
      expect(await (await fetch(running.url)).text()).toBe('ready');
      expect(running.logTail()).toMatch(/EADDRINUSE: address already in use/);
    } finally {
      await running.stop();
    }
  });

  it('gives up at once, with the log, when the program fails for another reason', async () => {
    const failing = path.join(dir, 'failing.mjs');
    writeFileSync(failing, "console.error('no such configuration file'); process.exit(3);\n");
    await expect(
      startServer({ binary: process.execPath, args: () => [failing], readyPath: '/' }),
    ).rejects.toThrow(/node did not start: it exited with code 3\nno such configuration file$/);
  });
});
