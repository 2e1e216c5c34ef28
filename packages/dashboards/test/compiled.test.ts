import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The compiled package (dist/, built by `turbo run build` before the tests) as the CLI runs it.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sdk = '@grafana/grafana-foundation-sdk';
const bundled = path.join(packageDir, 'dist', 'bundled', sdk);

describe('the compiled package and the foundation SDK', () => {
  it('loads none of the SDK’s own modules: every import of it goes to the bundle', () => {
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(pathToFileURL(path.join(packageDir, 'dist', 'index.js')).href)});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((file) => file.includes('grafana-foundation-sdk'))));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([]);
  });

  it('bundles every subpath it imports with the names Node gives the SDK’s module', () => {
    const entries = readdirSync(bundled).filter((name) => name.endsWith('.js'));
    expect(entries).toContain('dashboard.js');
    // In plain Node, as the CLI loads them (vitest's loader names a CommonJS module's exports otherwise).
    const script = `
      import { createRequire } from 'node:module';
      import { pathToFileURL } from 'node:url';
      const fromPackage = createRequire(${JSON.stringify(path.join(packageDir, 'package.json'))});
      const names = async (url) => Object.keys(await import(url)).filter((n) => n !== 'default' && n !== '__esModule').sort();
      const differ = [];
      for (const entry of ${JSON.stringify(entries)}) {
        const subpath = ${JSON.stringify(sdk)} + '/' + entry.replace(/\\.js$/, '');
        const original = await names(pathToFileURL(fromPackage.resolve(subpath)).href);
        const bundle = await names(pathToFileURL(${JSON.stringify(bundled)} + '/' + entry).href);
        if (original.length === 0 || JSON.stringify(original) !== JSON.stringify(bundle)) differ.push(subpath);
      }
      console.log(JSON.stringify(differ));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([]);
  });

  it('shares one copy of what two subpaths both export', async () => {
    // dashboard and common both reach the SDK's cog builders: one chunk, so one class.
    const dashboard = await import(pathToFileURL(path.join(bundled, 'dashboard.js')).href);
    const timeseries = await import(pathToFileURL(path.join(bundled, 'timeseries.js')).href);
    const panel = new timeseries.PanelBuilder();
    expect(panel).toBeInstanceOf(Object);
    const built = new dashboard.DashboardBuilder('shared').withPanel(panel).build();
    expect(built.panels?.[0]).toMatchObject({ type: 'timeseries' });
  });
});
