import { formatDuration, parseDuration } from '@o11y/core';
import { push, ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';
import type { LintProject } from '../../project.ts';
import type { KnownSeries, ScrapedBy } from '../../series.ts';

/** Where each job is in a series' `scrapedBy`: a selector names one job of the hundreds that scrape `up`. */
const positions = new WeakMap<KnownSeries, Map<string, number[]>>();

/** The scrapes of these jobs, in the order of `scrapedBy` (the first of equal intervals names the job). */
function* scrapesOf(series: KnownSeries, jobs: readonly string[]): Generator<ScrapedBy> {
  // Most of the jobs (no job matcher): one pass over them all.
  if (jobs.length * 16 >= series.scrapedBy.length) {
    const wanted = new Set(jobs);
    for (const scraped of series.scrapedBy) if (wanted.has(scraped.job)) yield scraped;
    return;
  }
  let byJob = positions.get(series);
  if (!byJob) {
    byJob = new Map();
    for (const [position, { job }] of series.scrapedBy.entries()) push(byJob, job, position);
    positions.set(series, byJob);
  }
  const found = [...new Set(jobs)].flatMap((job) => byJob.get(job) ?? []).sort((a, b) => a - b);
  for (const position of found) yield series.scrapedBy[position]!;
}

interface Slowest {
  readonly scrape: number;
  readonly job: string;
}

/**
 * The slowest scrape of a series by these jobs (all, without a list), and the first job at it: the
 * selectors of one metric mostly share their list of jobs, hundreds long without a job matcher.
 */
const slowest = new WeakMap<KnownSeries, { all?: Slowest; listed: WeakMap<readonly string[], Slowest> }>();

function slowestScrape(
  project: LintProject,
  series: KnownSeries,
  jobs: readonly string[] | undefined,
): Slowest {
  const known = slowest.get(series) ?? { listed: new WeakMap() };
  slowest.set(series, known);
  const cached = jobs ? known.listed.get(jobs) : known.all;
  if (cached) return cached;
  let found: Slowest = { scrape: 0, job: '' };
  for (const scraped of jobs ? scrapesOf(series, jobs) : series.scrapedBy) {
    const scrape = project.scrapeInterval(scraped.job) ?? scraped.intervalMs;
    if (scrape > found.scrape) found = { scrape, job: scraped.job };
  }
  if (jobs) known.listed.set(jobs, found);
  else known.all = found;
  return found;
}

export const rangeTooShort = defineCheck({
  id: 'promql/range-too-short',
  severity: 'warning',
  doc: `A range selector must cover at least two samples of every series it reads, or \`rate\` and friends return
nothing between scrapes: the range has to be at least twice the scrape interval of the job that scrapes the
metric (from the build's Prometheus configuration, else the catalogue's job). For a recording rule's output the
interval is its group's evaluation interval (option \`evaluationInterval\` when the group sets none). Dashboard
ranges written as \`$__rate_interval\` are left to Grafana, which sizes them from the scrape interval.`,
  options: {
    evaluationInterval: { default: '1m', doc: 'the global evaluation interval, for groups that set none' },
  },
  *run({ project, options }) {
    for (const { expression, node } of nodesOf(project, 'MatrixSelector')) {
      if (node.range === undefined || node.rangeVariable !== undefined) continue;
      const name = ShapeResolver.metricName(node.selector);
      const series = name === undefined ? undefined : project.series(name);
      if (!series) continue;
      let interval = 0;
      let source = '';
      const recorders = project.recordersOf(series.name);
      if (recorders.length > 0) {
        for (const { group } of recorders) {
          const evaluation = parseDuration(group.interval ?? options.evaluationInterval);
          if (evaluation > interval)
            [interval, source] = [evaluation, `the evaluation interval of group ${group.name}`];
        }
      } else {
        const listed = project.shapes.shape(node.selector).labels.get('job')?.values;
        const { scrape, job } = slowestScrape(project, series, listed);
        if (scrape > 0) [interval, source] = [scrape, `the scrape interval of job ${job}`];
      }
      if (interval === 0 || node.range >= 2 * interval) continue;
      yield {
        target: expression.target,
        message: `range [${formatDuration(node.range)}] is shorter than twice ${source} (${formatDuration(interval)})`,
        span: node,
        hint: `use at least [${formatDuration(2 * interval)}]${expression.target.kind === 'query' ? ', or [$__rate_interval]' : ''}`,
      };
    }
  },
});
