/**
 * The renderer: React, @grafana/ui and @grafana/data live in their own install under `renderer/`
 * (set up by `npm run setup`, not by the workspace's `npm install`), so a user who only builds and
 * lints never downloads them. From it, esbuild makes the page script (one self-contained bundle) and
 * a Node bundle of the @grafana/data helpers the query side uses; both are rebuilt when the
 * renderer's sources or lock file change.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { O11yError, sha256, writeFileAtomic } from '@o11y/core';
import { build, type Plugin } from 'esbuild';

export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const OUT_DIR = path.join(RENDERER_DIR, 'dist');
const GRAFANA_UI = path.join(RENDERER_DIR, 'node_modules', '@grafana', 'ui');
const ICONS_DIR = path.join(GRAFANA_UI, 'dist', 'public', 'img', 'icons');

/** The @grafana/data helpers the Node side calls (see src/node-helpers.ts in the renderer). */
export interface GrafanaData {
  readonly rangeUtil: {
    calculateInterval(range: unknown, resolution: number, lowLimitInterval?: string): { intervalMs: number };
    intervalToMs(text: string): number;
    secondsToHms(seconds: number): string;
  };
  readonly dateMath: {
    parse(text: string, roundUp?: boolean, timezone?: string): { valueOf(): number } | undefined;
    parseDateMath(math: string, time: unknown, roundUp?: boolean): { valueOf(): number } | undefined;
  };
  dateTime(input?: number): unknown;
}

export interface RendererBundle {
  readonly script: string;
  readonly css: string;
  readonly grafana: GrafanaData;
}

/** How to get the renderer's dependencies, said once wherever they are missing. */
export const RENDERER_SETUP_HINT =
  'run `npm run setup` (or just its preview part: `npm ci --prefix packages/preview/renderer`) to install React and Grafana’s front-end packages for the preview';

function missing(): O11yError {
  return new O11yError('the preview renderer is not installed (packages/preview/renderer/node_modules)', {
    id: 'preview/renderer-missing',
    hint: RENDERER_SETUP_HINT,
  });
}

async function sourcesHash(): Promise<string> {
  const sourceDir = path.join(RENDERER_DIR, 'src');
  const names = (await readdir(sourceDir)).sort();
  const parts = [
    await readFile(path.join(RENDERER_DIR, 'package-lock.json'), 'utf8'),
    await readFile(fileURLToPath(import.meta.url), 'utf8'),
  ];
  for (const name of names) parts.push(name, await readFile(path.join(sourceDir, name), 'utf8'));
  return sha256(parts.join('\0'));
}

/**
 * Grafana builds its packages with webpack, which honours `__esModule` when an ES module imports a
 * CommonJS module's default export; esbuild follows Node for `.mjs` importers and would hand over
 * the whole module object (React then fails with "element type is invalid"). This gives such
 * imports from @grafana's `.mjs` files webpack's meaning.
 */
const webpackInterop: Plugin = {
  name: 'webpack-interop',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || !/node_modules[\\/]@grafana[\\/].*\.mjs$/.test(args.importer))
        return undefined;
      const inner = await builder.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'inner',
      });
      if (inner.errors.length > 0 || !inner.path.endsWith('.js')) return undefined;
      const text = await readFile(inner.path, 'utf8');
      if (!text.includes('__esModule') || /^\s*(import|export)\s/m.test(text)) return undefined;
      return { path: inner.path, namespace: 'cjs-interop' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'cjs-interop' }, (args) => {
      const target = JSON.stringify(args.path);
      return {
        contents: `import * as m from ${target}; export * from ${target}; export default m.default;`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/**
 * @grafana/ui fetches its icons from Grafana's server (`public/build/img/icons/…`); the page has no
 * server, so the icons the package ships are bundled and served to it from memory.
 */
const icons: Plugin = {
  name: 'grafana-icons',
  setup(builder) {
    builder.onResolve({ filter: /^o11y:icons$/ }, () => ({ path: 'icons', namespace: 'grafana-icons' }));
    builder.onLoad({ filter: /.*/, namespace: 'grafana-icons' }, async () => {
      const found: Record<string, string> = {};
      for (const folder of (await readdir(ICONS_DIR)).sort()) {
        for (const file of (await readdir(path.join(ICONS_DIR, folder))).sort()) {
          if (file.endsWith('.svg'))
            found[`${folder}/${file}`] = await readFile(path.join(ICONS_DIR, folder, file), 'utf8');
        }
      }
      return { contents: `export default ${JSON.stringify(found)};`, loader: 'js' };
    });
  },
};

/** Grafana's font files (served by its server) and the same fonts as @fontsource packages ship them. */
const FONT_FILES: Readonly<Record<string, string>> = {
  'inter/Inter-Regular.woff2': '@fontsource/inter/files/inter-latin-400-normal.woff2',
  'inter/Inter-Medium.woff2': '@fontsource/inter/files/inter-latin-500-normal.woff2',
  'inter/Inter-Italic.woff2': '@fontsource/inter/files/inter-latin-400-italic.woff2',
  'inter/Inter-MediumItalic.woff2': '@fontsource/inter/files/inter-latin-500-italic.woff2',
};
const ROBOTO_MONO = '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2';

/**
 * Grafana's global styles load Inter and Roboto Mono from its server (`public/fonts/…`). The page
 * embeds them instead, so it draws with Grafana's fonts everywhere and its screenshots do not depend
 * on the fonts a machine happens to have.
 */
const fonts: Plugin = {
  name: 'grafana-fonts',
  setup(builder) {
    builder.onLoad({ filter: /themes[\\/]GlobalStyles[\\/]fonts\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const files = [...source.matchAll(/\$\{fontRoot\}([^']+)/g)].map((m) => m[1]!);
      let contents = source;
      for (const file of new Set(files)) {
        const replacement = FONT_FILES[file] ?? (file.startsWith('roboto/') ? ROBOTO_MONO : undefined);
        if (!replacement)
          throw new Error(`@grafana/ui asks for the font ${file}, which the preview does not embed`);
        const data = await readFile(path.join(RENDERER_DIR, 'node_modules', replacement));
        contents = contents.replaceAll(
          `\${fontRoot}${file}`,
          `data:font/woff2;base64,${data.toString('base64')}`,
        );
      }
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

async function bundle(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  const staging = path.join(OUT_DIR, `.staging-${process.pid}`);
  await build({
    entryPoints: [path.join(RENDERER_DIR, 'src', 'page.tsx')],
    outfile: path.join(staging, 'page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    jsx: 'automatic',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Monaco's code-editor font comes with @grafana/ui's code editor, which no panel draws.
    loader: { '.ttf': 'empty', '.woff': 'empty', '.woff2': 'empty', '.svg': 'text', '.png': 'empty' },
    plugins: [webpackInterop, icons, fonts],
    logLevel: 'error',
  });
  await build({
    entryPoints: [path.join(RENDERER_DIR, 'src', 'node-helpers.ts')],
    outfile: path.join(staging, 'grafana-data.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // @grafana/data's CommonJS dependencies call require(); ESM output needs one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: [webpackInterop],
    logLevel: 'error',
  });
  for (const name of ['page.js', 'page.css', 'grafana-data.mjs']) {
    const source = path.join(staging, name);
    await writeFileAtomic(path.join(OUT_DIR, name), existsSync(source) ? await readFile(source) : '');
  }
  const { rm } = await import('node:fs/promises');
  await rm(staging, { recursive: true, force: true });
}

let loaded: Promise<RendererBundle> | undefined;

/** The bundles, built first if the renderer changed since the last build. */
export function loadRenderer(log: (line: string) => void = () => {}): Promise<RendererBundle> {
  loaded ??= (async () => {
    if (!existsSync(path.join(GRAFANA_UI, 'package.json'))) throw missing();
    const hash = await sourcesHash();
    const stampFile = path.join(OUT_DIR, 'stamp');
    const stamp = existsSync(stampFile) ? await readFile(stampFile, 'utf8') : '';
    if (stamp !== hash) {
      log('preview: bundling the renderer (React, @grafana/ui, @grafana/data) …');
      await bundle();
      await writeFileAtomic(stampFile, hash);
    }
    const grafana = (await import(pathToFileURL(path.join(OUT_DIR, 'grafana-data.mjs')).href)) as GrafanaData;
    return {
      script: await readFile(path.join(OUT_DIR, 'page.js'), 'utf8'),
      css: await readFile(path.join(OUT_DIR, 'page.css'), 'utf8'),
      grafana,
    };
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}
