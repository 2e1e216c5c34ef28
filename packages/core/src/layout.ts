import type { SourceLocation } from './source.ts';

/**
 * The `dist/` contract: every path `o11y build` writes, declared once for the emitters that write
 * them and for everything that reads a build (test, diff, publish, the end-to-end suite). Paths are
 * relative to `dist/`, with `/`.
 */
export const DIST = {
  manifest: 'manifest.json',
  prometheus: {
    config: 'prometheus/prometheus.yml',
    /** The config of one server of several (`prometheusConfig({ servers })`). */
    serverConfig: (server: string) => `prometheus/servers/${server}/prometheus.yml`,
    rulesDir: 'prometheus/rules',
    rules: (file: string) => `prometheus/rules/${file}.yml`,
    tests: (file: string) => `prometheus/tests/${file}.yml`,
    /** The whole rule file of groups whose alerts Grafana evaluates: only the promtool tests load it. */
    testRules: (file: string) => `prometheus/tests/rules/${file}.yml`,
    operator: (file: string) => `prometheus/operator/${file}.yaml`,
    alerts: 'prometheus/alerts.json',
    index: 'prometheus/index.json',
  },
  mimir: {
    dir: 'mimir',
    namespace: (namespace: string) => `mimir/${namespace}.yml`,
  },
  loki: {
    /** Loki's ruler files, one per namespace; Loki's local rule storage reads them from `<directory>/<tenant>/`. */
    rulesDir: 'loki/rules',
    rules: (namespace: string) => `loki/rules/${namespace}.yml`,
  },
  grafana: {
    dashboardsDir: 'grafana/dashboards',
    /** A dashboard in its folder path; dashboards without a folder go to `general`. */
    dashboard: (folder: string | undefined, uid: string) =>
      `grafana/dashboards/${folder ?? 'general'}/${uid}.json`,
    /** Beside `dashboardsDir`, not inside it: Grafana's file provider loads every titled `*.json` there. */
    folders: 'grafana/folders.json',
    resource: (apiVersion: string, uid: string) => `grafana/resources/dashboards/${apiVersion}/${uid}.json`,
    provisioning: {
      dashboards: 'grafana/provisioning/dashboards/o11y.yaml',
      datasources: 'grafana/provisioning/datasources/o11y.yaml',
      /** Grafana's alerting file provisioning: one file per resource kind, `apiVersion: 1`. */
      alerting: (kind: 'rules' | 'contact-points' | 'policies' | 'mute-timings') =>
        `grafana/provisioning/alerting/${kind}.yaml`,
    },
    /** Grafana-managed alerting as the provisioning HTTP API takes it, read by `o11y publish`. */
    alerting: {
      dir: 'grafana/alerting',
      ruleGroup: (folderUid: string, group: string) =>
        `grafana/alerting/rule-groups/${folderUid}/${group}.json`,
      folders: 'grafana/alerting/folders.json',
      contactPoints: 'grafana/alerting/contact-points.json',
      policies: 'grafana/alerting/policies.json',
      muteTimings: 'grafana/alerting/mute-timings.json',
    },
  },
  alertmanager: {
    dir: 'alertmanager',
    config: 'alertmanager/alertmanager.yml',
    templatesDir: 'alertmanager/templates',
    tests: 'alertmanager/tests.json',
  },
} as const;

/** One entry of `dist/manifest.json`: an artifact, its content hash and the TypeScript line that defined it. */
export interface ManifestEntry {
  readonly path: string;
  readonly kind: string;
  readonly sha256: string;
  readonly source: SourceLocation;
  /** Series the artifact's rules produce or its dashboard's queries read, as lint estimates them. */
  readonly estimatedSeries?: number;
}

export interface Manifest {
  readonly version: 1;
  readonly profile: string;
  readonly artifacts: readonly ManifestEntry[];
}
