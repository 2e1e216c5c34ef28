import { gauge, label } from '@o11y/catalog';
import { allJobs } from './jobs.ts';
import { environments } from './services.ts';

/**
 * The labels of our targets beyond `job` and `instance`: each service's targets carry their environment
 * (rules/prometheus.ts); the exporters' and the prober's, shared by every environment, carry none.
 */
const targetLabels = { environment: label.values(environments) };

/** Series Prometheus writes for every target at every scrape, whatever the target exposes. */
export const up = gauge('up', {
  help: '1 if the last scrape of the target succeeded, 0 otherwise.',
  unit: 'boolean',
  jobs: allJobs,
  labels: targetLabels,
  scrapeGenerated: true,
});

export const scrapeDurationSeconds = gauge('scrape_duration_seconds', {
  help: 'Duration of the last scrape of the target.',
  unit: 'seconds',
  jobs: allJobs,
  labels: targetLabels,
  scrapeGenerated: true,
});

export const scrapeSamplesScraped = gauge('scrape_samples_scraped', {
  help: 'Number of samples the target exposed in the last scrape.',
  unit: 'count',
  jobs: allJobs,
  labels: targetLabels,
  scrapeGenerated: true,
});

export const scrapeSeriesAdded = gauge('scrape_series_added', {
  help: 'Approximate number of new series in the last scrape.',
  unit: 'count',
  jobs: allJobs,
  labels: targetLabels,
  scrapeGenerated: true,
});
