import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '@o11y/catalog';
import {
  formatDiagnostic,
  importOrganisationModule,
  loadProjectLayout,
  O11yError,
  paint,
  stableStringify,
} from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

const FETCH_TIMEOUT_MS = 10_000;

async function readExposition(target: string, root: string): Promise<string> {
  if (/^https?:\/\//.test(target)) {
    let response: Response;
    try {
      response = await fetch(target, {
        headers: { accept: 'text/plain;version=0.0.4' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new O11yError(
        `cannot fetch ${target}: ${error instanceof Error ? error.message : String(error)}`,
        {
          id: 'catalog/fetch',
          hint: 'check the URL and that the target is up',
        },
      );
    }
    if (!response.ok) {
      throw new O11yError(`${target} answered HTTP ${response.status}`, { id: 'catalog/fetch' });
    }
    return response.text();
  }
  try {
    return await readFile(path.resolve(root, target), 'utf8');
  } catch (error) {
    throw new O11yError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      id: 'catalog/read',
      hint: 'give a /metrics URL (http:// or https://) or a file holding an exposition',
    });
  }
}

async function loadCatalog(modulePath: string): Promise<Catalog> {
  const module = (await importOrganisationModule(modulePath)) as { catalog?: unknown };
  const candidate = module.catalog as Partial<Catalog> | undefined;
  if (!candidate || typeof candidate.series !== 'function' || typeof candidate.metric !== 'function') {
    throw new O11yError(`${modulePath} does not export a catalogue named "catalog"`, {
      id: 'catalog/module',
      hint: 'export const catalog = defineCatalog([...])',
    });
  }
  return candidate as Catalog;
}

export const command: Command = {
  name: 'catalog',
  summary: 'check a /metrics endpoint or exposition file against the metric catalogue',
  help: `Usage: o11y catalog check <url-or-file> [--job <name>] [--catalog <module>] [--json]

Reads a Prometheus text exposition (a /metrics URL or a file) and reports how it differs from the
catalogue: declared metrics that are missing, metrics the catalogue does not know, wrong types,
undeclared labels or label values, more distinct values than declared, different histogram buckets.

Options:
  --job <name>        the scrape job the target belongs to (default: inferred from its metrics)
  --catalog <module>  the module exporting \`catalog\` (default: the project's catalogue module,
                      \`catalog\` of defineProject() in o11y.config.ts, else catalog/index.ts)
  --json              print the report as JSON

Exit codes: 0 conforms (warnings allowed), 1 errors found, 2 usage or internal error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { job: { type: 'string' }, catalog: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    const [action, target, ...extra] = positionals;
    if (action !== 'check' || !target || extra.length > 0) {
      throw new UsageError('expected: o11y catalog check <url-or-file>');
    }
    const module = values.catalog ?? (await loadProjectLayout(io.root)).catalog;
    const catalog = await loadCatalog(path.resolve(io.root, module));
    const { checkConformity, parseExposition } = await import('@o11y/catalog');
    const families = parseExposition(await readExposition(target, io.root));
    const report = checkConformity(catalog, families, values.job === undefined ? {} : { job: values.job });
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    const warnings = report.findings.length - errors;
    if (values.json) {
      io.stdout(stableStringify({ target, ...report }));
    } else {
      for (const finding of report.findings) io.stdout(`${formatDiagnostic(finding)}\n`);
      const job =
        report.job === undefined
          ? 'no job: no metric of the exposition is in the catalogue'
          : `job ${report.job}${report.inferredJob ? ' (inferred; set it with --job)' : ''}`;
      const verdict =
        errors > 0 ? paint('does not conform', 'red', io.colour) : paint('conforms', 'green', io.colour);
      io.stdout(
        `${target}: ${verdict} to the catalogue for ${job}: ${errors} errors, ${warnings} warnings\n`,
      );
    }
    return errors > 0 ? EXIT.findings : EXIT.ok;
  },
};
