import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  it('holds each of the SDK’s modules once, however many subpaths reach it', () => {
    // esbuild wraps each CommonJS module it bundles as `"<its path>"(exports, module)`: a module
    // in two files would be two copies of its classes.
    const wrapped = /"([^"]*grafana-foundation-sdk[^"]*\.js)"\(exports/g;
    const modules = readdirSync(path.join(packageDir, 'dist', 'bundled'), {
      recursive: true,
      encoding: 'utf8',
    })
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(path.join(packageDir, 'dist', 'bundled', file), 'utf8').matchAll(wrapped)].map(
          (match) => match[1]!,
        ),
      );
    expect(modules.length).toBeGreaterThan(100);
    expect(modules.filter((module, i) => modules.indexOf(module) !== i)).toEqual([]);
  });
});
