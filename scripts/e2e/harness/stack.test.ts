import { prometheusConfig, scrapeJob } from '@o11y/rules';
import type { TargetInfo } from '@o11y/sample-service';
import { describe, expect, it } from 'vitest';
import { liveAlertmanagerConfig, retargetedConfig } from './stack.ts';

const targets: TargetInfo[] = [
  {
    job: 'orders',
    kind: 'prom-client',
    address: '127.0.0.1:1001',
    metricsPath: '/metrics',
    service: 'orders',
    environment: 'production',
  },
  {
    job: 'orders',
    kind: 'prom-client',
    address: '127.0.0.1:1002',
    metricsPath: '/metrics',
    service: 'orders',
    environment: 'production',
  },
  {
    job: 'orders',
    kind: 'prom-client',
    address: '127.0.0.1:1003',
    metricsPath: '/metrics',
    service: 'orders',
    environment: 'staging',
  },
  {
    job: 'blackbox',
    kind: 'blackbox',
    address: '127.0.0.1:2000',
    metricsPath: '/probe',
    probeTargets: ['http://127.0.0.1:1001/health'],
  },
];

describe('retargeting the organisation’s Prometheus config', () => {
  const config = prometheusConfig({
    scrapeInterval: '15s',
    evaluationInterval: '15s',
    alertmanagers: ['alertmanager:9093'],
    jobs: [
      scrapeJob({
        job: 'orders',
        targets: [
          { targets: ['orders-1:3000', 'orders-2:3000'], labels: { environment: 'production' } },
          { targets: ['orders-staging-1:3000'], labels: { environment: 'staging' } },
        ],
      }),
      scrapeJob({
        job: 'blackbox',
        targets: ['http://orders:3000/health'],
        metricsPath: '/probe',
        relabel: [
          { sourceLabels: ['__address__'], targetLabel: '__param_target' },
          { targetLabel: '__address__', replacement: 'blackbox-exporter:9115' },
        ],
      }),
    ],
  });

  it('points every job at the sample service and the blackbox job’s probes at its exporter', () => {
    const retargeted = retargetedConfig(config, targets, { alertmanager: '127.0.0.1:9093' });
    expect(retargeted.alertmanagers).toEqual(['127.0.0.1:9093']);
    expect(retargeted.jobs[0]!.targets).toEqual([
      { targets: ['127.0.0.1:1001', '127.0.0.1:1002'], labels: { environment: 'production' } },
      { targets: ['127.0.0.1:1003'], labels: { environment: 'staging' } },
    ]);
    expect(retargeted.jobs[1]!.targets).toEqual(['http://127.0.0.1:1001/health']);
    expect(retargeted.jobs[1]!.relabel![1]!.replacement).toBe('127.0.0.1:2000');
  });

  it('names the jobs the sample service does not pose as', () => {
    expect(() => retargetedConfig(config, targets.slice(0, 3), { alertmanager: 'x:1' })).toThrow('blackbox');
  });

  it('refuses instances that do not fill the job’s target groups one to one', () => {
    const withoutStaging = targets.filter((t) => t.environment !== 'staging');
    expect(() => retargetedConfig(config, withoutStaging, { alertmanager: 'x:1' })).toThrow(
      /scrape job orders lists 2 target groups, which the sample service's instances \(127.0.0.1:1001 in production, 127.0.0.1:1002 in production\) do not match one to one/,
    );
  });
});

describe('the live Alertmanager config', () => {
  it('sends every receiver to the sink with resolved notifications and second-long grouping', () => {
    const live = liveAlertmanagerConfig(
      {
        route: {
          receiver: 'default',
          group_wait: '30s',
          routes: [{ receiver: 'pager', matchers: ['severity="critical"'] }],
        },
        receivers: [{ name: 'default' }, { name: 'pager', pagerduty_configs: [{ routing_key_file: '/x' }] }],
      },
      'http://127.0.0.1:9',
    );
    expect(live.receivers).toEqual([
      { name: 'default' },
      { name: 'pager', webhook_configs: [{ url: 'http://127.0.0.1:9/pager', send_resolved: true }] },
    ]);
    const route = live.route as {
      group_wait: string;
      group_interval: string;
      routes: Array<{ group_interval: string }>;
    };
    expect(route.group_wait).toBe('1s');
    expect(route.routes[0]!.group_interval).toBe('1s');
  });
});
