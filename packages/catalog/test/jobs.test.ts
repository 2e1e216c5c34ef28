import { describe, expect, it } from 'vitest';
import { job, longestScrapeIntervalMs, max, recorded, sum } from '../src/index.ts';
import { api, memory, requests, worker } from './fixture.ts';

const memoryPerRequest = () =>
  max(memory.select({}))
    .by('service')
    .div(sum(requests.select({})).by('service'));
const names = (rule: { readonly declaration: { readonly jobs: readonly { name: string }[] } }) =>
  rule.declaration.jobs.map((j) => j.name);

describe('the jobs a recorded series inherits', () => {
  it('are the distinct jobs of every metric it reads, in name order', () => {
    expect(names(recorded('job:memory_per_request:ratio', memoryPerRequest()))).toEqual(['api', 'worker']);
    expect(names(recorded('job:requests:sum', sum(requests.select({})).by('service')))).toEqual(['api']);
  });

  it('are one list shared by the rules that read the same metrics, however many jobs they have', () => {
    // A metric every service exposes has a job per service: sorting it again for each of its rules
    // made loading grow with the square of the services.
    const first = recorded('job:memory_per_request:ratio', memoryPerRequest());
    const second = recorded('job:memory_per_request:ratio2', memoryPerRequest());
    expect(second.declaration.jobs).toBe(first.declaration.jobs);
  });
});

describe('longestScrapeIntervalMs', () => {
  it('is the slowest job’s interval, 0 for no job', () => {
    const batch = job('batch', { scrapeInterval: '1m30s', instances: 1 });
    expect(longestScrapeIntervalMs([api, worker])).toBe(30_000);
    expect(longestScrapeIntervalMs([batch, api])).toBe(90_000);
    expect(longestScrapeIntervalMs(memory.declaration.jobs)).toBe(30_000);
    expect(longestScrapeIntervalMs(requests.declaration.jobs)).toBe(15_000);
    expect(longestScrapeIntervalMs([])).toBe(0);
  });
});
