import { stringify } from 'yaml';
import type { GrafanaStackSpec } from './stack.ts';

/** Stable uids of the provisioned datasources (dashboards never use them: they go through variables). */
export const DATASOURCE_UIDS = {
  prometheus: 'o11y-prometheus',
  alertmanager: 'o11y-alertmanager',
  jaeger: 'o11y-jaeger',
  loki: 'o11y-loki',
} as const;

function yaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

/** The dashboard provider: every folder of `grafana/dashboards/` becomes a Grafana folder. */
export function dashboardProvider(stack: GrafanaStackSpec): string {
  return yaml({
    apiVersion: 1,
    providers: [
      {
        name: 'o11y',
        type: 'file',
        orgId: 1,
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: stack.dashboardsPath, foldersFromFilesStructure: true },
      },
    ],
  });
}

/**
 * Prometheus (default; exemplars open the trace in Jaeger), Alertmanager, Jaeger (spans link to
 * their logs in Loki) and Loki (trace ids in log lines link to Jaeger). No credentials.
 */
export function datasources(stack: GrafanaStackSpec): string {
  return yaml({
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: DATASOURCE_UIDS.prometheus,
        access: 'proxy',
        url: stack.prometheusUrl,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          alertmanagerUid: DATASOURCE_UIDS.alertmanager,
          exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: DATASOURCE_UIDS.jaeger }],
        },
      },
      {
        name: 'Alertmanager',
        type: 'alertmanager',
        uid: DATASOURCE_UIDS.alertmanager,
        access: 'proxy',
        url: stack.alertmanagerUrl,
        editable: false,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      },
      {
        name: 'Jaeger',
        type: 'jaeger',
        uid: DATASOURCE_UIDS.jaeger,
        access: 'proxy',
        url: stack.jaegerUrl,
        editable: false,
        jsonData: {
          tracesToLogsV2: {
            datasourceUid: DATASOURCE_UIDS.loki,
            filterByTraceID: true,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            customQuery: false,
          },
        },
      },
      {
        name: 'Loki',
        type: 'loki',
        uid: DATASOURCE_UIDS.loki,
        access: 'proxy',
        url: stack.lokiUrl,
        editable: false,
        jsonData: {
          derivedFields: [
            {
              name: 'TraceID',
              matcherRegex: '"?trace_?[iI]d"?[=:]\\s*"?(\\w+)',
              datasourceUid: DATASOURCE_UIDS.jaeger,
              // `$$` keeps Grafana's provisioning from expanding it as an environment variable.
              url: '$${__value.raw}',
            },
          ],
        },
      },
    ],
  });
}
