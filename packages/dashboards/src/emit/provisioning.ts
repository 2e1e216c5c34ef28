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
export function dashboardProvider(dashboardsPath: string): string {
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
        options: { path: dashboardsPath, foldersFromFilesStructure: true },
      },
    ],
  });
}

/**
 * Prometheus (default; exemplars open the trace in Jaeger), and those of Alertmanager, Jaeger (spans
 * link to their logs in Loki) and Loki (trace ids in log lines link to Jaeger) the stack names; a link
 * to a backend the stack does not name is left out. No credentials.
 */
export function datasources(stack: GrafanaStackSpec): string {
  const { alertmanagerUrl, jaegerUrl, lokiUrl } = stack;
  const toJaeger = jaegerUrl !== undefined;
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
          ...(alertmanagerUrl !== undefined && { alertmanagerUid: DATASOURCE_UIDS.alertmanager }),
          ...(toJaeger && {
            exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: DATASOURCE_UIDS.jaeger }],
          }),
        },
      },
      ...(alertmanagerUrl === undefined
        ? []
        : [
            {
              name: 'Alertmanager',
              type: 'alertmanager',
              uid: DATASOURCE_UIDS.alertmanager,
              access: 'proxy',
              url: alertmanagerUrl,
              editable: false,
              jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
            },
          ]),
      ...(jaegerUrl === undefined
        ? []
        : [
            {
              name: 'Jaeger',
              type: 'jaeger',
              uid: DATASOURCE_UIDS.jaeger,
              access: 'proxy',
              url: jaegerUrl,
              editable: false,
              jsonData:
                lokiUrl === undefined
                  ? {}
                  : {
                      tracesToLogsV2: {
                        datasourceUid: DATASOURCE_UIDS.loki,
                        filterByTraceID: true,
                        spanStartTimeShift: '-5m',
                        spanEndTimeShift: '5m',
                        customQuery: false,
                      },
                    },
            },
          ]),
      ...(lokiUrl === undefined
        ? []
        : [
            {
              name: 'Loki',
              type: 'loki',
              uid: DATASOURCE_UIDS.loki,
              access: 'proxy',
              url: lokiUrl,
              editable: false,
              jsonData: !toJaeger
                ? {}
                : {
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
          ]),
    ],
  });
}
