import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DIST, O11yError } from '@o11y/core';
// Imported when the verb runs: `o11y --help` lists every verb, and this library brings TypeScript.
import type { ImportPlan } from '@o11y/import';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

const CLI = fileURLToPath(new URL('../../bin/o11y.mjs', import.meta.url));

/** Builds the organisation in a child process (fresh module cache) into a scratch folder; its differences. */
async function verify(root: string, plan: ImportPlan): Promise<string[]> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'o11y-import-verify-'));
  try {
    try {
      // Lint's findings on imported code are reported by `o11y lint` and the next build, not here:
      // the round trip checks what the builders make of the input, with promtool and amtool.
      await promisify(execFile)(process.execPath, [CLI, 'build', '--out', out, '--fail-on', 'never'], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
      return [`o11y build failed on the imported modules:\n${output.trim()}`];
    }
    const { compareAlertmanagerConfigs, compareDashboards, compareRuleSets } = await import('@o11y/import');
    const differences: string[] = [];
    for (const { input, built } of plan.ruleOutputs) {
      const text = await readFile(path.join(out, built), 'utf8').catch(() => '');
      for (const difference of compareRuleSets(input, built, text))
        differences.push(`${input.file}: ${difference}`);
    }
    const dashboardsDir = path.join(out, DIST.grafana.dashboardsDir);
    const builtDashboards = (
      await readdir(dashboardsDir, { recursive: true }).catch(() => [] as string[])
    ).map((file) => path.join(dashboardsDir, String(file)));
    for (const { file, input, uid, folder } of plan.dashboardOutputs) {
      const expected = path.join(out, DIST.grafana.dashboard(folder, uid));
      if (!builtDashboards.includes(expected)) {
        const elsewhere = builtDashboards.find((f) => path.basename(f) === `${uid}.json`);
        differences.push(
          elsewhere
            ? `${file}: dashboard ${uid} was built into ${path.relative(dashboardsDir, path.dirname(elsewhere))}, not folder ${folder ?? 'general'}`
            : `${file}: dashboard ${uid} was not built`,
        );
        continue;
      }
      const json = JSON.parse(await readFile(expected, 'utf8'));
      for (const difference of compareDashboards(input, json)) differences.push(`${file}: ${difference}`);
    }
    if (plan.alertmanagerOutput) {
      const { file, expected } = plan.alertmanagerOutput;
      const text = await readFile(path.join(out, DIST.alertmanager.config), 'utf8').catch(() => '');
      for (const difference of compareAlertmanagerConfigs(expected, DIST.alertmanager.config, text))
        differences.push(`${file}: ${difference}`);
    }
    return differences;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export const command: Command = {
  name: 'import',
  summary:
    'turn existing rule files, PrometheusRule resources, Grafana dashboards and alertmanager.yml into typed TypeScript modules',
  help: `Usage: o11y import <files or folders…> [--dry-run] [--force] [--verify] [--format text|json]
                  [--metrics-file <file>] [--prometheus-url <url>]

Reads an existing setup and writes it into the organisation as TypeScript that uses the builders,
one module per imported file, formatted with biome.

Inputs (folders are searched for .yml, .yaml and .json files):
  Prometheus rule files (groups:), Mimir/Cortex ruler namespace files (namespace: + groups:),
  PrometheusRule resources (one or many per file, or a List).
  Grafana dashboards: classic JSON (schemaVersion 16+, legacy rows before), exports for sharing
  (__inputs, __requires), the API envelope {dashboard, meta}, dashboard.grafana.app v1 resources,
  ConfigMaps whose data values are dashboards, dashboard.grafana.app v2 resources (converted to the
  classic model first: grid and rows layouts; tabs, auto grids and library panels are refused).
  An Alertmanager configuration (alertmanager.yml: route: + receivers:), one per organisation.

Outputs:
  rules/<name>.ts              rule groups with record(), alert() and ruleGroup(); thresholds of
                               alerts as named constants; expressions typed through the catalogue
                               where the typed layer reproduces them exactly, raw() otherwise.
                               Alerts without a team, a known severity, a summary and a description
                               are kept with verbatimAlert() (labels and annotations as they were).
  catalog/imported/<name>.ts   a declaration per metric the expressions read and the catalogue lacks,
                               its type inferred from the functions applied and its name (_total,
                               _bucket with le), confirmed by --metrics-file or --prometheus-url;
                               undecidable types and unmeasured label counts are said in comments.
  catalog/imported/index.ts    the imported declarations, added to catalog/index.ts's defineCatalog.
  dashboards/<title>.ts        one dashboard() per imported dashboard: its folder (the API
                               envelope's meta, the resource's grafana.app/folder) as
                               .folder(folder(…)), rows, panels through timeseries/stat/table/gauge
                               (other types: panel(type, title)), queries as raw() PromQL, units,
                               thresholds as named constants, grid positions, datasources as
                               constants; old graph panels migrated to timeseries and singlestat
                               panels to stat (gauge when shown as one) as Grafana does; variables
                               through labelValues, datasourcePicker, customVariable,
                               constantVariable, intervalVariable, textboxVariable where one writes
                               their type (what they do not write with withVerbatim()), others with
                               verbatimVariable(); unmodelled options kept with .verbatim({…}); each
                               listed in the report.
  alertmanager/config.ts       the alertmanager.yml as alertmanager(): receivers and time intervals
                               as exported constants, the routing tree with typed matchers, inhibit
                               rules, templates (copied to alertmanager/templates/); every inline
                               secret becomes secret.file('/etc/alertmanager/secrets/<name>') and the
                               report says which file to put it in; *_file references are kept;
                               fields the builders do not model are kept with verbatim. If an
                               alertmanager/ module already defines the config, the import refuses
                               without --force and replaces that module with it.
  <name> is the PrometheusRule's name, the ruler namespace or the file name.

Report (stdout): the files written, every expression kept raw and every alert kept verbatim with the
reason, every inferred metric type (with UNDECIDED where nothing decides it), every secret not copied
and the file it goes in, every normalisation (canonical PromQL spelling, sorted labels, renamed groups,
secrets as *_file, match/match_re as matchers) and everything not kept. --format json
prints the same as one JSON object.

Options:
  --dry-run               write nothing; print the report and every file that would be written
  --force                 overwrite existing files (never without it; the import then writes nothing)
  --verify                after writing, build into a scratch folder and compare every imported rule
                          group with the built rule file (semantic: PromQL trees, canonical durations)
                          and every dashboard with the built JSON (ids, schema version and defaults
                          the builders add aside), and alertmanager.yml with the built one (semantic:
                          matchers, durations, order-free lists; the listed normalisations applied;
                          amtool check-config runs in the build); any difference or build failure
                          undoes the import
  --metrics-file <file>   a /metrics exposition: metric types, help and label counts from it
  --prometheus-url <url>  a Prometheus server: types and help from /api/v1/metadata, label values
                          from /api/v1/series for the series the import reads
  --format text|json      report format (default text)

Writes are all or nothing: every file is staged beside its target and renamed into place only when
all are ready. Secrets are never read from inputs into code, the report or the log.

Exit codes: 0 imported (or dry run), 1 the inputs cannot be imported, a file exists without --force,
or --verify found differences, 2 usage or internal error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
        verify: { type: 'boolean' },
        format: { type: 'string' },
        'metrics-file': { type: 'string' },
        'prometheus-url': { type: 'string' },
      },
      true,
    );
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError('--format is text or json');
    if (positionals.length === 0) throw new UsageError('give the files or folders to import');
    if (values['metrics-file'] && values['prometheus-url']) {
      throw new UsageError('give either --metrics-file or --prometheus-url, not both');
    }
    const metricsFile = values['metrics-file'];
    const prometheusUrl = values['prometheus-url'];
    const {
      conflicts,
      evidenceFromExposition,
      evidenceFromPrometheus,
      formatReportJson,
      formatReportText,
      planImport,
      writeAllOrNothing,
    } = await import('@o11y/import');
    const plan = await planImport({
      root: io.root,
      inputs: positionals,
      force: values.force === true,
      ...(metricsFile !== undefined && {
        evidence: async () =>
          evidenceFromExposition(await readFile(path.resolve(io.root, metricsFile), 'utf8')),
      }),
      ...(prometheusUrl !== undefined && {
        evidence: (series: readonly string[]) => evidenceFromPrometheus(prometheusUrl, series),
      }),
    });
    const dryRun = values['dry-run'] === true;
    const print = (verb: 'wrote' | 'would write') => {
      if (format === 'json') io.stdout(`${formatReportJson(plan.report, { dryRun })}\n`);
      else io.stdout(`${formatReportText(plan.report, verb)}\n`);
    };
    if (dryRun) {
      if (format === 'text') {
        for (const file of plan.files) io.stdout(`--- ${file.path}\n${file.content}\n`);
      }
      print('would write');
      return EXIT.ok;
    }
    const existing = await conflicts(io.root, plan.files);
    if (existing.length > 0 && !values.force) {
      throw new O11yError(`would overwrite ${existing.join(', ')}; nothing was written`, {
        id: 'import/exists',
        hint: 'import again with --force to overwrite, or move those files away',
      });
    }
    const undo = await writeAllOrNothing(io.root, plan.files);
    if (values.verify) {
      const differences = await verify(io.root, plan);
      if (differences.length > 0) {
        await undo();
        for (const difference of differences) io.stderr(`${difference}\n`);
        io.stderr(`--verify: ${differences.length} differences; the import was undone\n`);
        return EXIT.findings;
      }
      const dashboards = plan.dashboardOutputs.length > 0 ? ' and every dashboard to the same JSON' : '';
      const alertmanager = plan.alertmanagerOutput
        ? ' and the Alertmanager config to the same alertmanager.yml'
        : '';
      io.stderr(`--verify: every imported rule group builds to the same rules${dashboards}${alertmanager}\n`);
    }
    print('wrote');
    return EXIT.ok;
  },
};
