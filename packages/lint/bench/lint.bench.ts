// `npm run bench`: how long lint takes on the sample organisation and on 10,000 synthetic rules.
// Prints figures; it asserts nothing (targets belong here, not in timed tests).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectModel } from '@o11y/core';
import { init } from '@o11y/promql';
import { loadDefinitions } from '../../build/src/index.ts';
import { estimateCardinality } from '../src/cardinality.ts';
import { loadConfig } from '../src/config.ts';
import { lint } from '../src/lint.ts';
import { loadText } from '../src/load/files.ts';
import { modelOfDefinitions } from '../test/helpers.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SYNTHETIC_RULES = 10_000;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Rules shaped like the sample organisation's: per-job recordings, ratios over them, alerts on the ratios. */
function syntheticRuleFile(count: number, services: readonly string[]): string {
  const lines = ['groups:'];
  for (let group = 0; group * 100 < count; group++) {
    lines.push(`  - name: synthetic-${group}`, '    interval: 30s', '    rules:');
    for (let i = group * 100; i < Math.min(count, (group + 1) * 100); i += 4) {
      const service = services[(i / 4) % services.length];
      lines.push(
        `      - record: service:http_requests:rate5m_${i}`,
        `        expr: sum by (service) (rate(http_requests_total{service="${service}"}[5m]))`,
        `      - record: service:http_request_errors:rate5m_${i}`,
        `        expr: sum by (service) (rate(http_requests_total{service="${service}", status_code=~"5.."}[5m]))`,
        `      - record: service:http_request_errors:ratio_rate5m_${i}`,
        `        expr: service:http_request_errors:rate5m_${i} / (service:http_requests:rate5m_${i} > 0)`,
        `      - alert: HighErrorRate${i}`,
        `        expr: service:http_request_errors:ratio_rate5m_${i} > 0.05`,
        '        for: 5m',
        '        labels: {severity: warning, team: platform}',
        '        annotations: {summary: "{{ $labels.service }} fails", description: errors, runbook_url: "https://r/x"}',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

await init();
const config = await loadConfig(root);

const sample = await timed(async () => modelOfDefinitions(root, await loadDefinitions(root)));
const rules = sample.value.ruleGroups.reduce((n, g) => n + g.rules.length, 0);
const queries = sample.value.dashboards.reduce(
  (n, d) => n + d.panels.reduce((m, p) => m + p.queries.length, 0),
  0,
);
const sampleLint = await timed(() => lint(sample.value, { config }));
const sampleAgain = await timed(() => lint(sample.value, { config }));
const sampleCardinality = await timed(async () => estimateCardinality(sampleLint.value.project));
console.log(
  `sample organisation: ${rules} rules, ${sample.value.dashboards.length} dashboards, ${queries} queries`,
  `\n  definitions → model  ${ms(sample.ms)}`,
  `\n  lint (cold, all ${sampleLint.value.findings.length} findings)  ${ms(sampleLint.ms)}`,
  `\n  lint (warm)  ${ms(sampleAgain.ms)}`,
  `\n  cardinality report (memoised)  ${ms(sampleCardinality.ms)}`,
);

const serviceLabel = config.catalog?.metrics.find((m) => m.name === 'http_requests_total')?.labels.service;
const text = syntheticRuleFile(
  SYNTHETIC_RULES,
  serviceLabel?.kind === 'values' ? serviceLabel.values : ['api'],
);
const loaded = await timed(async () => loadText('synthetic.yml', text));
const model: ProjectModel = { ruleGroups: loaded.value.groups, dashboards: [], scrapeJobs: [] };
const syntheticLint = await timed(() => lint(model, { config, origins: loaded.value.origins }));
const heapMb = process.memoryUsage().rss / 1024 / 1024;
console.log(
  `synthetic: ${SYNTHETIC_RULES} rules in ${loaded.value.groups.length} groups (${(text.length / 1024).toFixed(0)} KiB of YAML)`,
  `\n  parse YAML with positions  ${ms(loaded.ms)}`,
  `\n  lint  ${ms(syntheticLint.ms)} (${((SYNTHETIC_RULES / syntheticLint.ms) * 1000).toFixed(0)} rules/s, ${syntheticLint.value.findings.length} findings)`,
  `\n  resident memory  ${heapMb.toFixed(0)} MiB`,
);
