#!/usr/bin/env node
// `npm run bench:scale`: how o11y's stages grow with the organisation. For each size it copies the
// organisation's definitions into a scratch directory outside the checkout, adds services to the copy's
// catalog/services.ts the way a user does (clones of the sample's own entries: the same teams,
// instrumentations, tiers, datastores and SLOs), commits the copy as the unchanged tree for `o11y diff`,
// and times every stage under /usr/bin/time: wall, CPU (user + system) and peak RSS. Prints a table
// with the growth ratio between the two largest sizes and writes the figures as JSON. Asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'packages', 'cli', 'bin', 'o11y.mjs');

/** What a copy of the organisation holds: its definitions, its lint configuration, its TypeScript settings. */
const ORGANISATION = [
  'catalog',
  'rules',
  'dashboards',
  'alertmanager',
  'o11y.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
];

const STAGES = {
  build: { args: ['build'], about: 'o11y build' },
  // The same build again, nothing changed: the organisation's modules are compiled and the first build's
  // clean type check stands, as in the edit loop and a CI that keeps node_modules. The first is a new
  // checkout's.
  rebuild: { args: ['build'], about: 'o11y build, again' },
  'no-verify': { args: ['build', '--no-verify', '--out', 'tmp/dist-no-verify'], about: 'build --no-verify' },
  // Exit 1 is findings (the synthetic services' longer names break naming rules): lint ran to the end.
  lint: { args: ['lint'], about: 'o11y lint', completed: [0, 1] },
  test: { args: ['test'], about: 'o11y test' },
  diff: { args: ['diff'], about: 'o11y diff' },
};

const HELP = `Usage: npm run bench:scale -- [--services 11,200,1000] [--stages ${Object.keys(STAGES).join(',')}]
                              [--json <file>] [--keep]

  --services <list>  organisation sizes (the sample has 11 services; the others are clones of its entries)
  --stages <list>    stages to time (default: all; build always runs first, the others read its dist/)
  --json <file>      where to write the figures (default: tmp/bench/scale.json)
  --keep             keep the scratch organisations (their paths are in the JSON)

o11y diff compares the scratch tree with its own unchanged commit, so it measures two full builds.`;

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '11,200,1000' },
    stages: { type: 'string', default: Object.keys(STAGES).join(',') },
    json: { type: 'string', default: path.join(root, 'tmp', 'bench', 'scale.json') },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const sizes = values.services.split(',').map(Number);
const requested = values.stages.split(',');
if (requested.some((s) => !(s in STAGES)) || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`bench:scale: unknown stage or bad size\n\n${HELP}`);
  process.exit(2);
}
const stages = ['build', ...requested.filter((s) => s !== 'build')];

/** The `service('name', { … }),` entries of catalog/services.ts, verbatim, and where the list ends. */
function serviceEntries(source) {
  const matches = [...source.matchAll(/^ {2}service\('([a-z0-9-]+)', \{\n[\s\S]*?^ {2}\}\),\n/gm)];
  const last = matches.at(-1);
  const end = last ? source.indexOf('] as const;', last.index + last[0].length) : -1;
  if (end < 0) throw new Error('catalog/services.ts: no `service(…)` entries before `] as const;`');
  return { entries: matches.map((m) => ({ name: m[1], text: m[0] })), end };
}

/** catalog/services.ts with services added up to `total`, cloned round-robin from the existing entries. */
function scaledServices(source, total) {
  const { entries, end } = serviceEntries(source);
  if (total < entries.length)
    throw new Error(`--services ${total}: the sample already has ${entries.length}`);
  const added = [];
  for (let i = 0; entries.length + i < total; i++) {
    const template = entries[i % entries.length];
    const name = `${template.name}-${String(Math.floor(i / entries.length) + 1).padStart(3, '0')}`;
    added.push(template.text.replace(`service('${template.name}',`, `service('${name}',`));
  }
  return source.slice(0, end) + added.join('') + source.slice(end);
}

/**
 * The organisation-wide budget of recorded series grows with the organisation, as its owners would
 * raise it: without that, every size past the sample's fails the build on the total alone.
 */
function scaleTotalBudget(configFile, factor) {
  const source = readFileSync(configFile, 'utf8');
  const pattern = /recordedTotal: ([\d_]+)/;
  const match = pattern.exec(source);
  if (!match) return;
  const scaled = Math.ceil((Number(match[1].replaceAll('_', '')) * factor) / 1000) * 1000;
  writeFileSync(configFile, source.replace(pattern, `recordedTotal: ${scaled}`));
}

function git(cwd, args) {
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A scratch organisation of `total` services, committed so that `o11y diff` has an unchanged base. */
function scratchOrganisation(total) {
  const dir = mkdtempSync(path.join(tmpdir(), `o11y-bench-scale-${total}-`));
  for (const entry of ORGANISATION) {
    if (existsSync(path.join(root, entry)))
      cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  const servicesFile = path.join(dir, 'catalog', 'services.ts');
  const source = readFileSync(servicesFile, 'utf8');
  writeFileSync(servicesFile, scaledServices(source, total));
  scaleTotalBudget(path.join(dir, 'o11y.config.ts'), total / serviceEntries(source).entries.length);
  // A workspace root of its own (the CLI finds the project by `workspaces`) that borrows the checkout's
  // installed packages and pinned tools; `o11y diff` runs `npm run o11y -- build` on both sides.
  const manifest = {
    name: 'o11y-bench-organisation',
    private: true,
    type: 'module',
    workspaces: [],
    scripts: { o11y: 'o11y' },
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.tools\ndist/\ntmp/\n');
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  symlinkSync(path.join(root, '.tools'), path.join(dir, '.tools'), 'dir');
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, [
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@localhost',
    'commit',
    '-qm',
    `${total} services`,
  ]);
  return dir;
}

/** Runs one stage under /usr/bin/time: wall and CPU seconds, peak RSS in MiB (of the largest process). */
function timed(dir, { args, completed = [0] }) {
  const report = path.join(dir, 'tmp', 'time.txt');
  mkdirSync(path.dirname(report), { recursive: true });
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %U %S %M', '-o', report, process.execPath, cli, ...args],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const last = readFileSync(report, 'utf8').trim().split('\n').at(-1);
  const [wall, user, system, kib] = last.split(' ').map(Number);
  return {
    exit: result.status,
    completed: completed.includes(result.status),
    wallS: wall,
    cpuS: Math.round((user + system) * 100) / 100,
    peakRssMiB: Math.round(kib / 1024),
    ...(!completed.includes(result.status) && {
      output: `${result.stdout}${result.stderr}`.trim().split('\n').slice(-8).join('\n'),
    }),
  };
}

function countPanels(panels) {
  let count = 0;
  for (const panel of panels ?? []) count += panel.type === 'row' ? countPanels(panel.panels) : 1;
  return count;
}

/** Dashboards, panels, rules and promtool test cases of a build. */
function counts(dist) {
  const dashboardsDir = path.join(dist, 'grafana', 'dashboards');
  const dashboards = readdirSync(dashboardsDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => JSON.parse(readFileSync(path.join(e.parentPath, e.name), 'utf8')));
  const index = JSON.parse(readFileSync(path.join(dist, 'prometheus', 'index.json'), 'utf8'));
  return {
    dashboards: dashboards.length,
    panels: dashboards.reduce((sum, d) => sum + countPanels(d.panels), 0),
    rules: index.rules.length,
    tests: index.tests.reduce((sum, suite) => sum + suite.cases.length, 0),
  };
}

const results = [];
for (const total of sizes) {
  const dir = scratchOrganisation(total);
  const row = { services: total, load: { before: loadavg().slice(0, 2) }, stages: {}, dir };
  for (const stage of stages) {
    process.stderr.write(`bench:scale: ${total} services: ${STAGES[stage].about} …`);
    const r = timed(dir, STAGES[stage]);
    row.stages[stage] = r;
    process.stderr.write(
      ` ${r.wallS} s wall, ${r.cpuS} s CPU, ${r.peakRssMiB} MiB${r.completed ? '' : ` (exit ${r.exit})`}\n`,
    );
    if (r.output) process.stderr.write(`${r.output}\n`);
    if (stage === 'build' && r.exit === 0) row.counts = counts(path.join(dir, 'dist'));
  }
  row.load.after = loadavg().slice(0, 2);
  results.push(row);
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

const sorted = [...results].sort((a, b) => a.services - b.services);
const [smaller, larger] = sorted.length >= 2 ? sorted.slice(-2) : [];
const growth = {};
for (const stage of smaller ? stages : []) {
  const [a, b] = [smaller.stages[stage], larger.stages[stage]];
  const ratio = (x, y) => Math.round((y / x) * 100) / 100;
  if (a?.completed && b?.completed)
    growth[stage] = { wall: ratio(a.wallS, b.wallS), cpu: ratio(a.cpuS, b.cpuS) };
}

const cell = (r) =>
  r
    ? `${r.wallS.toFixed(1)} s / ${r.cpuS.toFixed(1)} s / ${r.peakRssMiB} MiB${r.completed ? '' : ' FAILED'}`
    : '—';
const header = [
  'services',
  'dashboards / panels',
  'rules',
  'tests',
  ...stages.map((s) => STAGES[s].about),
  'load 1m',
];
const rows = results.map((r) => [
  String(r.services),
  r.counts ? `${r.counts.dashboards} / ${r.counts.panels}` : '—',
  r.counts ? String(r.counts.rules) : '—',
  r.counts ? String(r.counts.tests) : '—',
  ...stages.map((s) => cell(r.stages[s])),
  r.load.before[0].toFixed(2),
]);
if (smaller) {
  const grown = (s) =>
    growth[s] ? `${growth[s].wall.toFixed(2)}× wall, ${growth[s].cpu.toFixed(2)}× CPU` : '—';
  rows.push([`${larger.services}/${smaller.services}`, '', '', '', ...stages.map(grown), '']);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log('Each stage: wall / CPU (user + system) / peak RSS.');
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));

mkdirSync(path.dirname(values.json), { recursive: true });
const figures = {
  node: process.version,
  cores: availableParallelism(),
  results: results.map(({ dir, ...r }) => (values.keep ? { ...r, dir } : r)),
  ...(smaller && { growth: { of: `${larger.services}/${smaller.services}`, stages: growth } }),
};
writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`figures written to ${path.relative(process.cwd(), values.json) || values.json}`);
