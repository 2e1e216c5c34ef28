import { formatDuration, parseDuration } from '@o11y/core';
import { ShapeResolver, selectorShape } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

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
        const listed = selectorShape(node.selector, series).labels.get('job')?.values;
        const jobs = listed && new Set(listed);
        for (const scraped of series.scrapedBy) {
          if (jobs && !jobs.has(scraped.job)) continue;
          const scrape = project.scrapeInterval(scraped.job) ?? scraped.intervalMs;
          if (scrape > interval) [interval, source] = [scrape, `the scrape interval of job ${scraped.job}`];
        }
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
