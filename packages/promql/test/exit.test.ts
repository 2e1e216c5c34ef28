import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('process lifetime', () => {
  it('lets Node exit on its own once parsing is done (the parked Go program holds no timers)', () => {
    const script = `const p = await import(${JSON.stringify(index)}); await p.init(); console.log(p.parse('sum(up)').ok);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal, 'killed by the timeout: something keeps the event loop alive').toBeNull();
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('true\n');
    expect(child.status).toBe(0);
  }, 70_000);
});
