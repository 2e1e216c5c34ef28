import { prometheusConfig, scrapeJob } from '@o11y/rules';
import {
  blackboxJob,
  catalog,
  clusters,
  environments,
  multiCluster,
  nodeExporterJob,
  type OrgService,
  postgresExporterJob,
  redisExporterJob,
  replicasIn,
  services,
} from '../catalog/index.ts';

const numbered = (host: string, count: number, port: number) =>
  Array.from({ length: count }, (_, i) => `${host}-${i + 1}:${port}`);

/** A service's instances in each environment, labelled with it (our `environment` dimension comes from the targets). */
const perEnvironment = (service: OrgService) =>
  environments.map((environment) => ({
    targets: numbered(
      environment === 'production' ? service.name : `${service.name}-${environment}`,
      replicasIn(service, environment),
      service.port,
    ),
    labels: { environment },
  }));

/** Every service's health endpoint, the public shop and the payment provider, probed from outside. */
const probed = [
  ...services.map((s) => `http://${s.name}:${s.port}/health`),
  'https://shop.example.com/',
  'https://status.stripe.com/',
];

/** Each cluster's Prometheus writes to the central Mimir as its own user. */
const mimir = (cluster: string) => ({
  name: 'mimir',
  url: 'https://mimir.example.com/api/v1/push',
  basicAuth: { username: `prometheus-${cluster}`, passwordFile: '/etc/prometheus/secrets/mimir-password' },
});

/**
 * The organisation's Prometheus: one job per service (its replicas as targets), the exporters, the
 * blackbox prober. Sample and label limits follow from the catalogue's label budgets of each job. With
 * multiCluster on, one server per cluster (dist/prometheus/servers/<cluster>/prometheus.yml), each
 * with its cluster label; the services have the same names in every cluster.
 */
export const prometheus = prometheusConfig({
  scrapeInterval: '15s',
  evaluationInterval: '30s',
  externalLabels: { cluster: clusters[0] },
  catalog,
  alertmanagers: ['alertmanager:9093'],
  jobs: [
    ...services.map((service) => scrapeJob({ job: service.job, targets: perEnvironment(service) })),
    scrapeJob({ job: nodeExporterJob, targets: numbered('node', nodeExporterJob.instances, 9100) }),
    scrapeJob({
      job: postgresExporterJob,
      targets: numbered('postgres-exporter', postgresExporterJob.instances, 9187),
    }),
    scrapeJob({
      job: redisExporterJob,
      targets: numbered('redis-exporter', redisExporterJob.instances, 9121),
    }),
    scrapeJob({
      job: blackboxJob,
      targets: probed,
      metricsPath: '/probe',
      params: { module: ['http_2xx'] },
      scrapeTimeout: '10s',
      relabel: [
        { sourceLabels: ['__address__'], targetLabel: '__param_target' },
        { sourceLabels: ['__param_target'], targetLabel: 'instance' },
        { targetLabel: '__address__', replacement: 'blackbox-exporter:9115' },
      ],
    }),
  ],
  remoteWrite: [mimir(clusters[0])],
  ...(multiCluster
    ? {
        servers: clusters.map((cluster) => ({
          name: cluster,
          externalLabels: { cluster },
          remoteWrite: [mimir(cluster)],
        })),
      }
    : {}),
});
