import path from 'node:path';
import { formatDiagnostic, toDiagnostics } from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT, UsageError } from '../command.ts';

const HELP = `Usage: o11y preview [--dashboards <uid>…] [--prometheus-url <url>] [--from <time>] [--to <time>]
                    [--out <dir>] [--dist <dir>] [--png]

Renders every built dashboard (from dist/) into a self-contained HTML page drawn with Grafana's own
panel components (@grafana/ui): the 24-column grid, rows, repeats, titles, descriptions, links, and
time series, stat, gauge, bar gauge, table and text panels with the units, decimals, thresholds,
colours, overrides and legends of their JSON. Other panel types are drawn as labelled placeholders.

With --prometheus-url every panel query runs against that Prometheus as Grafana would run it (its
step, $__interval, $__rate_interval, $__range; template variables from label_values queries); query
errors show on their panel. Without it, panels say that there is no data source.

  --dashboards <uid>    only these dashboards (repeat the option, or give a comma-separated list)
  --prometheus-url <u>  the Prometheus to query (credentials in the URL never reach the pages)
  --from, --to <time>   the time range (default: each dashboard's own, e.g. now-6h → now)
  --scrape-interval <d> the data source's scrape interval, as Grafana's jsonData.timeInterval (15s)
  --out <dir>           where to write the pages (default: dist-preview); replaced atomically
  --dist <dir>          the build to preview (default: dist)
  --png                 also write one PNG screenshot per dashboard, taken with headless Chromium

Exit codes: 0 written, 2 usage error, no build, or the renderer or Chromium is missing.`;

/** The options `preview` and `dev` share for fetching data. */
export const DATA_OPTIONS = {
  'prometheus-url': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

/** The data options as @o11y/preview takes them; a URL that is not http(s) is a usage error. */
export function dataOptions(values: { 'prometheus-url'?: string; from?: string; to?: string }) {
  const url = values['prometheus-url'];
  if (url !== undefined && !/^https?:\/\//.test(url)) {
    throw new UsageError('--prometheus-url must be an http:// or https:// URL');
  }
  return {
    ...(url && { prometheusUrl: url }),
    ...(values.from && { from: values.from }),
    ...(values.to && { to: values.to }),
  };
}

export const command: Command = {
  name: 'preview',
  summary: 'render the built dashboards to HTML pages (and PNGs) with Grafana’s own panel components',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      dashboards: { type: 'string', multiple: true },
      ...DATA_OPTIONS,
      'scrape-interval': { type: 'string' },
      out: { type: 'string' },
      dist: { type: 'string' },
      png: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const data = dataOptions(values);
    const uids = values.dashboards?.flatMap((v) => v.split(',')).filter((v) => v !== '');
    const outDir = path.resolve(io.root, values.out ?? 'dist-preview');
    // The renderer is loaded here, not at the top: every other verb's start-up would pay for it.
    const { preview, readBuiltDashboards, selectDashboards } = await import('@o11y/preview');
    try {
      const all = await readBuiltDashboards(path.resolve(io.root, values.dist ?? 'dist'));
      const pages = await preview({
        dashboards: selectDashboards(all, uids),
        outDir,
        ...data,
        ...(values['scrape-interval'] && { scrapeInterval: values['scrape-interval'] }),
        png: values.png === true,
        log: (line) => io.stderr(`${line}\n`),
      });
      const where = path.relative(io.root, outDir) || '.';
      io.stdout(`${pages.length} dashboards previewed in ${where}/ (open ${where}/index.html)\n`);
      return EXIT.ok;
    } catch (error) {
      for (const diagnostic of toDiagnostics(error)) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      return EXIT.usage;
    }
  },
};
