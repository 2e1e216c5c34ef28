import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, Service } from '@o11y/catalog';
import { loadProjectLayout } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { stack } from '../dashboards/stack.ts';

const root = path.resolve(import.meta.dirname, '..');
const layout = await loadProjectLayout(root);
const organisation = (await import(path.join(root, layout.catalog))) as {
  catalog: Catalog;
  services: readonly Service[];
};

/** Words of the library that are the organisation's names by coincidence, each with its reason. */
const COINCIDENCES: readonly { file: string; name: string; reason: string }[] = [
  {
    file: 'packages/publish/src/grafana-simulator/classic-routes.ts',
    name: 'search',
    reason: 'Grafana’s own /api/search endpoint',
  },
];

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...(await filesUnder(full)));
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) found.push(full);
  }
  return found;
}

async function packageFiles(folder: 'src' | 'test'): Promise<string[]> {
  const packages = await readdir(path.join(root, 'packages'));
  return (await Promise.all(packages.map((p) => filesUnder(path.join(root, 'packages', p, folder))))).flat();
}

const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** The folders and files that are the organisation: its definitions, its catalogue and its configuration. */
const organisationPaths = [...layout.definitions, path.posix.dirname(layout.catalog), 'o11y.config.ts'].map(
  (p) => path.join(root, p),
);

/** Module specifiers of static imports, re-exports, dynamic imports and vi.mock calls. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.mock\(\s*)(['"])([^'"]+)\1/g,
  ))
    found.push(match[2]!);
  return found;
}

/** Every name the organisation defines that a library must not know: services, teams, metrics, hosts. */
function organisationNames(): { kind: string; name: string; pattern: RegExp }[] {
  const quoted = (name: string) => new RegExp(`['"\`]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`);
  const services = organisation.services.map((s) => s.name);
  const teams = [...new Set(organisation.services.map((s) => s.team))];
  // Prometheus writes `up` and `scrape_*` itself: those are Prometheus's names, not the organisation's.
  const metrics = organisation.catalog.metrics.filter((m) => !m.scrapeGenerated).map((m) => m.name);
  const hosts = [stack.prometheusUrl, stack.alertmanagerUrl, stack.jaegerUrl, stack.lokiUrl]
    .filter((url): url is string => url !== undefined)
    .map((url) => new URL(url).hostname);
  return [
    ...services.map((name) => ({ kind: 'service', name, pattern: quoted(name) })),
    ...teams.map((name) => ({ kind: 'team', name, pattern: quoted(name) })),
    ...metrics.map((name) => ({ kind: 'metric', name, pattern: quoted(name) })),
    ...hosts.map((name) => ({ kind: 'host', name, pattern: new RegExp(`//${name}[:/'"\`]`) })),
  ];
}

describe('the library packages know nothing of the organisation', () => {
  it('no package source or test imports the organisation’s folders or configuration', async () => {
    const offending: string[] = [];
    for (const file of [...(await packageFiles('src')), ...(await packageFiles('test'))]) {
      for (const specifier of specifiers(await readFile(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), specifier);
        if (organisationPaths.some((p) => target === p || target.startsWith(`${p}${path.sep}`)))
          offending.push(`${relative(file)} imports ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('no package source names a service, team, metric or host of the organisation', async () => {
    const names = organisationNames();
    expect(names.filter((n) => n.kind === 'service')).toHaveLength(organisation.services.length);
    const offending: string[] = [];
    for (const file of await packageFiles('src')) {
      const text = await readFile(file, 'utf8');
      for (const { kind, name, pattern } of names) {
        if (!pattern.test(text)) continue;
        if (COINCIDENCES.some((c) => c.file === relative(file) && c.name === name)) continue;
        offending.push(`${relative(file)} names the ${kind} ${name}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('catches an import of the organisation and a name of it in a package file', () => {
    const file = path.join(root, 'packages', 'x', 'src', 'a.ts');
    const [specifier] = specifiers(`import { catalog } from '../../../${layout.catalog}';`);
    const target = path.resolve(path.dirname(file), specifier!);
    expect(organisationPaths.some((p) => target.startsWith(`${p}${path.sep}`))).toBe(true);
    const service = organisationNames().find((n) => n.kind === 'service')!;
    expect(service.pattern.test(`labels: { service: '${service.name}' }`)).toBe(true);
    const host = organisationNames().find((n) => n.kind === 'host')!;
    expect(host.pattern.test(`const url = 'http://${host.name}:1234';`)).toBe(true);
  });
});
