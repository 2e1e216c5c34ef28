import { job } from '@o11y/catalog';
import { otelServices, promClientServices, services } from './services.ts';

/** One scrape job per service, named after it. */
export const serviceJobs = services.map((s) => s.job);
export const promClientJobs = promClientServices.map((s) => s.job);
export const otelJobs = otelServices.map((s) => s.job);

/** Exporters, owned by team `infrastructure`. */
export const nodeExporterJob = job('node', { scrapeInterval: '15s', instances: 6 });
export const postgresExporterJob = job('postgres', { scrapeInterval: '30s', instances: 2 });
export const redisExporterJob = job('redis', { scrapeInterval: '15s', instances: 3 });
/** One blackbox target per service health endpoint, plus the public site and the payment provider. */
export const blackboxJob = job('blackbox', { scrapeInterval: '30s', instances: services.length + 2 });

export const exporterJobs = [nodeExporterJob, postgresExporterJob, redisExporterJob, blackboxJob] as const;
export const allJobs = [...serviceJobs, ...exporterJobs] as const;
