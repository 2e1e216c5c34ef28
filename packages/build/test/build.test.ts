import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, formatDiagnostic, type Manifest, O11yErrors } from '@o11y/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pathProblems } from '../src/build.ts';
import { build, STAGES } from '../src/index.ts';
import { lintWorkerHeapMb } from '../src/verify.ts';

/** The roots of the lint worker threads the build starts (for a large project, or when asked). */
const workers = vi.hoisted(() => [] as string[]);
/** The heap bound (MiB) each of those threads was given. */
const heapBounds = vi.hoisted(() => [] as (number | undefined)[]);
/** How each of those threads ended: its exit code, and whether the build had to terminate it. */
const endings = vi.hoisted(() => [] as Promise<{ readonly code: number; readonly terminated: boolean }>[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const threads = await importOriginal<typeof import('node:worker_threads')>();
  class Worker extends threads.Worker {
    private terminated = false;
    constructor(...args: ConstructorParameters<typeof threads.Worker>) {
      super(...args);
      workers.push((args[1]!.workerData as { root: string }).root);
      heapBounds.push(args[1]!.resourceLimits?.maxOldGenerationSizeMb);
      endings.push(
        new Promise((resolve) => this.once('exit', (code) => resolve({ code, terminated: this.terminated }))),
      );
    }
    override terminate() {
      this.terminated = true;
      return super.terminate();
    }
  }
  return { ...threads, Worker };
});
/** What `holdHeapGrowth` was asked: `hold` when a build held its thread's heap growth, `release` after. */
const heapHolds = vi.hoisted(() => [] as string[]);
vi.mock('../src/heap.ts', async (importOriginal) => {
  const heap = await importOriginal<typeof import('../src/heap.ts')>();
  return {
    holdHeapGrowth: () => {
      heapHolds.push('hold');
      const release = heap.holdHeapGrowth();
      return () => {
        heapHolds.push('release');
        release();
      };
    },
  };
});
/** The paths the build writes, in order. */
const writes = vi.hoisted(() => [] as string[]);
vi.mock('@o11y/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@o11y/core')>();
  const treeWriter: typeof core.treeWriter = (dir, previous) => {
    const write = core.treeWriter(dir, previous);
    return (file) => {
      writes.push(file.path);
      write(file);
    };
  };
  return { ...core, treeWriter };
});
beforeEach(() => {
  workers.length = 0;
  heapBounds.length = 0;
  heapHolds.length = 0;
  endings.length = 0;
  writes.length = 0;
});

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture');
const sample = path.resolve(fixture, '../../../..');
const tools = path.join(fixture, '.tools');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'o11y-build-package-'));

// The verify stage runs the pinned promtool, which a project finds in its own .tools/.
beforeAll(() => {
  if (!existsSync(tools)) symlinkSync(path.resolve(fixture, '../../../../.tools'), tools, 'dir');
});
afterAll(() => {
  rmSync(tools, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the paths of artifacts, checked before they are written', () => {
  const at = (line: number) => ({ file: 'dashboards/a.ts', line, column: 1 });
  const artifact = (path: string, line: number) => ({ path, kind: 'k', content: '', source: at(line) });

  it('refuses a path outside dist/, the manifest, and a path an earlier batch or the same one has', () => {
    const byPath = new Map();
    expect(pathProblems([artifact('a/b.json', 1)], byPath)).toEqual([]);
    const problems = pathProblems(
      [
        artifact('../escape.json', 2),
        artifact('/abs.json', 3),
        artifact(DIST.manifest, 4),
        artifact('a/./b.json', 5),
        artifact('c.json', 6),
        artifact('c.json', 7),
      ],
      byPath,
    );
    expect(problems.map((p) => [p.id, p.source?.line, p.message])).toEqual([
      ['build/artifact-path', 2, 'artifact path "../escape.json" is outside dist/ or reserved'],
      ['build/artifact-path', 3, 'artifact path "/abs.json" is outside dist/ or reserved'],
      ['build/artifact-path', 4, `artifact path "${DIST.manifest}" is outside dist/ or reserved`],
      ['build/duplicate-artifact', 5, 'two definitions write a/b.json (the other is at dashboards/a.ts:1)'],
      ['build/duplicate-artifact', 7, 'two definitions write c.json (the other is at dashboards/a.ts:6)'],
    ]);
  });
});

describe('build', () => {
  it('writes each rule file and dashboard with its series estimate, once, and times every stage', async () => {
    const out = path.join(scratch, 'estimates');
    const result = await build({ root: fixture, out });
    const manifest = JSON.parse(readFileSync(path.join(out, DIST.manifest), 'utf8')) as Manifest;
    const estimates = Object.fromEntries(
      manifest.artifacts
        .filter((a) => a.estimatedSeries !== undefined)
        .map((a) => [a.path, a.estimatedSeries]),
    );
    const dashboard = manifest.artifacts.find((a) => a.kind === 'grafana/dashboard')!.path;
    // by(status): 2 series, by(status, route): 2 × 4; the panels: one per route, and one in all.
    expect(estimates).toEqual({ [DIST.prometheus.rules('shop')]: 10, [dashboard]: 5 });
    expect(dashboard.startsWith(`${DIST.grafana.dashboardsDir}/shop/`)).toBe(true);
    expect([...result.timings.keys()].sort()).toEqual([...STAGES].sort());
    // The dashboards are written before the rule files: what their model compiled is garbage sooner.
    const firstRuleFile = writes.indexOf(DIST.prometheus.rules('shop'));
    expect(firstRuleFile).toBeGreaterThan(writes.indexOf(dashboard));
    expect(writes.indexOf(dashboard)).toBeGreaterThanOrEqual(0);
  });

  it('links the files the dist/ it replaces holds unchanged, and writes those that differ from the build', async () => {
    const out = path.join(scratch, 'rebuilt');
    await build({ root: fixture, out, verify: false });
    const manifest = JSON.parse(readFileSync(path.join(out, DIST.manifest), 'utf8')) as Manifest;
    const inode = (file: string) => statSync(path.join(out, file)).ino;
    const before = new Map(manifest.artifacts.map(({ path: file }) => [file, inode(file)]));
    // Edited by hand after the build, in place and to the same size: the rebuild must not keep the edit.
    const edited = DIST.prometheus.rules('shop');
    const built = readFileSync(path.join(out, edited));
    writeFileSync(path.join(out, edited), Buffer.from(built).reverse());
    await build({ root: fixture, out, verify: false });
    for (const { path: file } of manifest.artifacts) {
      if (file === edited) continue;
      expect(inode(file), file).toBe(before.get(file));
      // The previous tree, which shared the file, is gone.
      expect(statSync(path.join(out, file)).nlink, file).toBe(1);
    }
    expect(inode(edited)).not.toBe(before.get(edited));
    expect(readFileSync(path.join(out, edited))).toEqual(built);
    expect(manifest.artifacts.length).toBeGreaterThan(3);
  });

  it('fails on an error the rules emitter meets after writing some files, leaving dist/ and no staging directory', async () => {
    const out = path.join(scratch, 'emitter-error');
    await build({ root: fixture, out });
    const before = readFileSync(path.join(out, DIST.manifest), 'utf8');
    const rulesModule = path.join(fixture, 'rules', 'shop.ts');
    const dashboardsModule = path.join(fixture, 'dashboards', 'shop.ts');
    let twoStacks = false;
    // A test suite of an alert whose annotation quotes $value: its tests are emitted after the rule files.
    const importModule = async (file: string) => {
      const exports = (await import(file)) as Record<string, unknown>;
      if (file === dashboardsModule && twoStacks) {
        const { grafanaStack } = await import('@o11y/dashboards');
        const stack = { prometheusUrl: 'http://prometheus.test:9090' };
        return { ...exports, stack: grafanaStack(stack), again: grafanaStack(stack) };
      }
      if (file !== rulesModule) return exports;
      const { alert, constant, fires, ruleGroup, ruleTests, series, testCase } = await import('@o11y/rules');
      const { sum, rate } = await import('@o11y/catalog');
      const { requests } = await import('./fixture/catalog.ts');
      const valued = alert('ShopBusy', {
        expr: sum(rate(requests.range('5m'))).gt(1),
        severity: 'warning',
        team: 'shop',
        summary: 'Busy',
        description: 'The shop serves {{ $value }} requests a second.',
      });
      const busy = ruleGroup('busy', { rules: [valued] });
      const suite = ruleTests('busy', {
        rules: [busy],
        tests: [
          testCase('busy', {
            interval: '1m',
            input: [series(requests, { status: '200', route: '/' }, constant(600, 10))],
            alerts: [fires(valued, '5m')],
          }),
        ],
      });
      return { ...exports, busy, suite };
    };
    writes.length = 0;
    const failed = await build({ root: fixture, out, importModule, verify: false }).catch(
      (error: unknown) => error,
    );
    // The rule files went to the staging directory as they came, before the tests failed.
    expect(writes).toContain(DIST.prometheus.rules('shop'));
    expect(writes).not.toContain(DIST.prometheus.tests('busy'));
    expect(failed).toBeInstanceOf(O11yErrors);
    expect((failed as O11yErrors).diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining(
        'cannot predict the rendering of "The shop serves {{ $value }} requests a second."',
      ),
    ]);
    expect(readFileSync(path.join(out, DIST.manifest), 'utf8')).toBe(before);
    expect(readdirSync(scratch).filter((name) => name.includes('staging'))).toEqual([]);
    // The dashboards emit first (what their model compiled is then garbage); errors keep the emitters' order.
    twoStacks = true;
    writes.length = 0;
    const both = await build({ root: fixture, out, importModule, verify: false }).catch(
      (error: unknown) => error,
    );
    expect((both as O11yErrors).diagnostics.map((d) => d.id)).toEqual([
      'promtool/expected-alert',
      'dashboards/duplicate-stack',
    ]);
    // The dashboards failed first: nothing was written after them.
    expect(writes).toEqual([]);
  });

  it('lints as its verify stage: findings below --fail-on are warnings, at it they fail the build with id and line', async () => {
    const out = path.join(scratch, 'lint');
    const passed = await build({ root: fixture, out });
    const warnings = passed.warnings.map(formatDiagnostic);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^rules\/shop\.ts:8:5 {2}warning: nothing reads status:shop_requests:rate5m.*\(rules\/unused-recording\)/,
      ),
      expect.stringMatching(
        /^rules\/shop\.ts:11:5 {2}warning: nothing reads status_route:shop_requests:rate5m.*\(rules\/unused-recording\)/,
      ),
    ]);
    const before = readFileSync(path.join(out, DIST.manifest), 'utf8');
    const failed = await build({ root: fixture, out, failOn: 'warning' }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(O11yErrors);
    expect((failed as O11yErrors).diagnostics.map((d) => [d.id, d.source?.file, d.source?.line])).toEqual([
      ['rules/unused-recording', 'rules/shop.ts', 8],
      ['rules/unused-recording', 'rules/shop.ts', 11],
    ]);
    expect(readFileSync(path.join(out, DIST.manifest), 'utf8')).toBe(before);
  });

  it("says once what lint and an emitter's verify both find: an expression that does not parse, at its rule and its query", async () => {
    const out = path.join(scratch, 'unparsable');
    const rulesModule = path.join(fixture, 'rules', 'shop.ts');
    const dashboardsModule = path.join(fixture, 'dashboards', 'shop.ts');
    const importModule = async (file: string) => {
      const exports = (await import(file)) as Record<string, unknown>;
      const { raw } = await import('@o11y/catalog');
      if (file === rulesModule) {
        const { record, ruleGroup } = await import('@o11y/rules');
        const broken = record('shop:broken:rate5m', raw('rate(shop_requests_total[5m]', { labels: [] }), {
          untested: 'it does not parse',
        });
        return { ...exports, broken: ruleGroup('broken', { rules: [broken] }) };
      }
      if (file !== dashboardsModule) return exports;
      const { dashboard, folder, logs, stat } = await import('@o11y/dashboards');
      const board = dashboard('Broken')
        .folder(folder('shop'))
        .row('r', [
          stat('Up')
            .description('d')
            .unit('short')
            .query(raw('sum(up', { labels: [] })),
          logs('Errors').description('d').logql('{service="shop" |= "timeout"'),
        ]);
      return { ...exports, board };
    };
    const where = (d: { source?: { file: string; line: number } }) => `${d.source?.file}:${d.source?.line}`;
    const failed = await build({ root: fixture, out, importModule }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(O11yErrors);
    const { diagnostics } = failed as O11yErrors;
    // Lint's findings alone: promtool's and the dashboards' verify say the same at the same lines.
    const logql = diagnostics.filter((d) => d.id === 'logql/syntax');
    expect(logql).toHaveLength(1);
    const promql = diagnostics.filter((d) => d !== logql[0]);
    expect(promql.map((d) => d.id)).toEqual(promql.map(() => 'promql/syntax'));
    const lines = [...new Set(promql.map(where))];
    expect(lines).toHaveLength(2);
    expect(promql.map((d) => d.message)).not.toContainEqual(
      expect.stringMatching(/invalid PromQL|does not parse/),
    );
    expect(logql[0]!.message).not.toContain('of panel');
    // With lint's check only a warning, verify's errors still fail the build, at the same lines.
    const warned = await build({
      root: fixture,
      out,
      importModule,
      config: { checks: { 'promql/syntax': 'warning' } },
    }).catch((error: unknown) => error);
    const verified = (warned as O11yErrors).diagnostics.filter((d) => d.id !== 'logql/syntax');
    const query = expect.stringMatching(/^query A of panel "Up" does not parse at column \d+: /);
    expect(verified.map((d) => [d.id, d.message.split('\n')[0]])).toEqual([
      [
        'promql/syntax',
        expect.stringMatching(
          /^invalid PromQL in rule shop:broken:rate5m \(group broken\) at 1:\d+: unclosed left parenthesis$/,
        ),
      ],
      ['promql/syntax', query],
      ['promql/syntax', query],
    ]);
    expect(new Set(verified.map(where))).toEqual(new Set(lines));
  });

  it("says a recording rule defined twice in one group once, as lint's rules/duplicate, not again as promtool's", async () => {
    const rulesModule = path.join(fixture, 'rules', 'shop.ts');
    const importModule = async (file: string) => {
      const exports = (await import(file)) as Record<string, unknown>;
      if (file !== rulesModule) return exports;
      const { record, ruleGroup } = await import('@o11y/rules');
      const { sum, rate } = await import('@o11y/catalog');
      const { requests } = await import('./fixture/catalog.ts');
      const untested = { untested: 'a fixture of the build tests, never run by promtool' };
      const first = record('shop:twice:rate5m', sum(rate(requests.range('5m'))), untested);
      const again = record('shop:twice:rate5m', sum(rate(requests.range('5m'))), untested);
      return { ...exports, twice: ruleGroup('twice', { rules: [first, again] }) };
    };
    const failed = await build({ root: fixture, out: path.join(scratch, 'twice'), importModule }).catch(
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(O11yErrors);
    const { diagnostics } = failed as O11yErrors;
    expect(diagnostics.map((d) => d.id)).toEqual(['rules/duplicate']);
    expect(diagnostics[0]!.message).not.toContain('promtool');
  });

  it('follows the suppressions and check settings of the configuration', async () => {
    const suppressed = await build({
      root: fixture,
      out: path.join(scratch, 'suppressed'),
      failOn: 'warning',
      config: { checks: { 'rules/unused-recording': 'off' } },
    });
    expect(suppressed.warnings).toEqual([]);
  });

  it('skips lint and the external checks without verify, and still estimates, here or in a worker', async () => {
    const out = path.join(scratch, 'unverified');
    const result = await build({ root: fixture, out, failOn: 'warning', verify: false });
    expect(result.warnings).toEqual([]);
    expect(result.manifest.artifacts.some((a) => a.estimatedSeries === 10)).toBe(true);
    expect(workers).toEqual([]);
    // A large project's worker estimates while this thread emits; it runs no check either.
    const inWorker = await build({
      root: fixture,
      out: path.join(scratch, 'unverified-worker'),
      failOn: 'warning',
      verify: false,
      lintWorker: true,
    });
    expect(workers).toEqual([fixture]);
    expect(inWorker.warnings).toEqual([]);
    expect(inWorker.manifest).toEqual(result.manifest);
  });

  it('lints in a worker thread with the findings, estimates and files of lint in this thread (the sample organisation)', async () => {
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort()
        .map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]);
    const here = await build({ root: sample, out: path.join(scratch, 'sample-here'), lintWorker: false });
    expect(workers).toEqual([]);
    expect(heapHolds).toEqual([]);
    const worker = await build({ root: sample, out: path.join(scratch, 'sample-worker'), lintWorker: true });
    expect(workers).toEqual([sample]);
    // While the worker lints, this thread's heap growth is held; the hold ends with the worker's answer.
    expect(heapHolds).toEqual(['hold', 'release']);
    expect(worker.warnings).toEqual(here.warnings);
    expect(worker.manifest).toEqual(here.manifest);
    expect(worker.manifest.artifacts.filter((a) => a.estimatedSeries !== undefined).length).toBeGreaterThan(
      10,
    );
    expect(files(worker.outDir)).toEqual(files(here.outDir));
    // Once it has answered, the worker ends on its own: its heap does not wait for this thread to hear it.
    expect(await Promise.all(endings)).toEqual([{ code: 0, terminated: false }]);
    // Its heap is bounded: the least bound, for a model as small as the sample's.
    expect(heapBounds).toEqual([lintWorkerHeapMb(0)]);
    expect(lintWorkerHeapMb(0)).toBe(256);
    expect(lintWorkerHeapMb(53_590_908)).toBe(614);
  });

  it('lints in its own thread, with the same findings and files, when the worker reaches its heap bound', async () => {
    const lines: string[] = [];
    const bounded = await build({
      root: sample,
      out: path.join(scratch, 'sample-bounded'),
      lintWorker: true,
      lintWorkerHeapMb: 8,
      log: (line) => lines.push(line),
    });
    expect(workers).toEqual([sample]);
    expect(heapBounds).toEqual([8]);
    expect((await Promise.all(endings))[0]!.code).not.toBe(0);
    expect(lines).toContain("the lint worker reached its heap bound of 8 MiB: linting in the build's thread");
    const here = await build({
      root: sample,
      out: path.join(scratch, 'sample-unbounded'),
      lintWorker: false,
    });
    expect(bounded.warnings).toEqual(here.warnings);
    expect(bounded.manifest).toEqual(here.manifest);
  });

  it("fails on the worker's findings as on its own, and lints a small project in this thread unless asked", async () => {
    const out = path.join(scratch, 'worker-fails');
    const here = await build({ root: fixture, out });
    expect(workers).toEqual([]);
    const before = readFileSync(path.join(out, DIST.manifest), 'utf8');
    const worker = await build({ root: fixture, out: path.join(scratch, 'worker-warns'), lintWorker: true });
    expect(workers).toEqual([fixture]);
    expect(here.warnings).toHaveLength(2);
    expect(worker.warnings).toEqual(here.warnings);
    workers.length = 0;
    const failed = await build({ root: fixture, out, failOn: 'warning', lintWorker: true }).catch(
      (error: unknown) => error,
    );
    expect(workers).toEqual([fixture]);
    expect(failed).toBeInstanceOf(O11yErrors);
    expect((failed as O11yErrors).diagnostics.map((d) => [d.id, d.source?.file, d.source?.line])).toEqual([
      ['rules/unused-recording', 'rules/shop.ts', 8],
      ['rules/unused-recording', 'rules/shop.ts', 11],
    ]);
    expect(readFileSync(path.join(out, DIST.manifest), 'utf8')).toBe(before);
  });
});
