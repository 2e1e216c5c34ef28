import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { toolPath } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';

/** The version Go itself reads from the committed go.mod that pins a module. */
function pinned(moduleDir: string, module: string): string {
  const result = spawnSync('go', ['list', '-m', '-f', '{{.Version}}', module], {
    cwd: path.join(repoRoot, moduleDir),
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  return result.stdout.trim();
}

function reportedVersion(tool: 'promtool' | 'prometheus' | 'amtool' | 'alertmanager'): string {
  const result = spawnSync(toolPath(tool, repoRoot), ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? '';
}

describe('the pinned toolchain in .tools/bin', () => {
  it('runs the Prometheus release the PromQL parser is pinned to', () => {
    const module = pinned('packages/promql/go', 'github.com/prometheus/prometheus'); // v0.315.0 ↔ 3.15.0
    const [, minor, patch] = module.replace(/^v/, '').split('.');
    const release = `3.${Number(minor) - 300}.${patch}`;
    expect(reportedVersion('promtool')).toBe(release);
    expect(reportedVersion('prometheus')).toBe(release);
  });

  it('runs the pinned Alertmanager release', () => {
    const module = pinned('scripts/toolchain/alertmanager', 'github.com/prometheus/alertmanager');
    expect(reportedVersion('amtool')).toBe(module.replace(/^v/, ''));
    expect(reportedVersion('alertmanager')).toBe(module.replace(/^v/, ''));
  });
});
