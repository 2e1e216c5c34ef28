import path from 'node:path';
import { compareCodePoints } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.ts';
import { lint } from '../src/lint.ts';
import { loadFiles } from '../src/load/files.ts';

const formats = path.join(import.meta.dirname, 'fixtures', 'formats');

async function lintFolder(...targets: string[]) {
  const loaded = await loadFiles(targets, formats);
  const result = await lint(loaded.model, {
    origins: loaded.origins,
    sources: loaded.sources,
    checks: allChecks,
  });
  return { loaded, findings: result.findings };
}

describe('the formats of a real repository', () => {
  it('reads a Loki ruler file as LogQL, and judges it by the LogQL checks only', async () => {
    const loaded = await loadFiles(['loki/rules.yml'], path.join(formats, '..'));
    expect(loaded.problems).toEqual([]);
    expect(loaded.model.ruleGroups).toEqual([]);
    expect(loaded.sources.ruleFiles).toEqual([]);
    expect(loaded.model.lokiRuleGroups?.map((g) => `${g.file} ${g.name} ${g.rules.length}`)).toEqual([
      'loki/rules.yml payments-logs 2',
    ]);
    const { findings } = await lint(loaded.model, {
      origins: loaded.origins,
      sources: loaded.sources,
      checks: allChecks,
    });
    expect(
      findings
        .filter(
          (f) => f.id.startsWith('logql/') || f.id.startsWith('promql/') || f.id.startsWith('rules/promtool'),
        )
        .map((f) => `${f.id} ${f.source?.file}:${f.source?.line}`),
    ).toEqual(['logql/unbounded-selector loki/rules.yml:11']);
  }, 30_000);

  it('reads Kubernetes manifests, dashboards of every kind and alertmanager.yml, and skips the rest quietly', async () => {
    const { loaded } = await lintFolder('.');
    expect(loaded.problems).toEqual([]);
    expect(
      loaded.model.dashboards
        .map(
          (d) =>
            `${d.source.file} ${d.uid} "${d.title}" ${d.folder ?? '-'} ${d.panels.map((p) => `${p.type}:${p.unit ?? '-'}:${p.queries.length}`).join(',')}`,
        )
        .sort(compareCodePoints),
    ).toEqual([
      'dashboards/legacy-rows.json nodes-legacy "Nodes (legacy)" - graph:short:1,heatmap:s:1',
      'dashboards/v1.yaml apiserver "API server" kubernetes timeseries:reqps:1,stat:percentunit:1',
      'dashboards/v2alpha1.yaml scheduler "Scheduler" - timeseries:short:1',
      'dashboards/v2beta1.json etcd "etcd" - timeseries:-:1,logs:-:1',
      'manifests/list.yaml nodes "Nodes" - stat:short:1',
      'manifests/monitoring.yaml pods "Pods" - timeseries:short:1',
    ]);
    expect(loaded.model.ruleGroups.map((g) => `${g.file} ${g.name} ${g.rules.length}`)).toEqual([
      'alertmanager/rules.yml workloads 2',
      'manifests/list.yaml nodes 1',
      'manifests/monitoring.yaml pods 1',
      'manifests/rules-configmap.yaml node-alerts 1',
    ]);
    expect(loaded.sources.alertmanagers.map((a) => a.document.file)).toEqual([
      'alertmanager/alertmanager.yml',
    ]);
  }, 30_000);

  it('points findings inside embedded and resource dashboards at their file line and column', {
    timeout: 30_000,
  }, async () => {
    const { findings } = await lintFolder('manifests', 'dashboards');
    expect(
      findings
        .filter((f) => f.id === 'promql/syntax')
        .map((f) => `${f.source?.file}:${f.source?.line}:${f.source?.column} ${f.message}`),
    ).toEqual([
      // The end of the expression: the closing quote of the JSON string, inside the ConfigMap's block.
      'dashboards/legacy-rows.json:11:80 unexpected end of input inside braces',
      'dashboards/v1.yaml:32:71 no arguments for aggregate expression provided',
      'dashboards/v1.yaml:32:108 unclosed left parenthesis',
      'dashboards/v2alpha1.yaml:25:66 unclosed left parenthesis',
      'dashboards/v2beta1.json:18:277 unclosed left parenthesis',
      'manifests/list.yaml:13:76 unclosed left parenthesis',
      'manifests/monitoring.yaml:44:37 no arguments for aggregate expression provided',
      'manifests/monitoring.yaml:44:111 unclosed left parenthesis',
    ]);
    // The heatmap's unit is its y axis's, the legacy graph's its first y axis's: neither is missing.
    expect(findings.filter((f) => f.id === 'dashboard/panel-unit').map((f) => f.subject)).toEqual([
      'panel "Leader changes" of dashboard etcd',
    ]);
  });

  it('reports a named file it cannot read, but not one met in a folder', async () => {
    const named = await loadFiles(['manifests/service.yaml'], formats);
    expect(named.problems.map((p) => `${p.source?.file}:${p.source?.line} ${p.message}`)).toEqual([
      'manifests/service.yaml:1 nothing to lint: not a rule file, a PrometheusRule, a Grafana dashboard (JSON, resource or ConfigMap) or an Alertmanager configuration',
    ]);
    expect((await loadFiles(['manifests'], formats)).problems).toEqual([]);
  });
});
