import { O11yError } from '@o11y/core';
import { type HttpClient, jsonOf } from '../http/client.ts';
import type { GrafanaApi } from './api.ts';
import { classicApi } from './classic.ts';
import { grafanaError } from './errors.ts';
import { kubernetesApi } from './kubernetes.ts';

export type ApiPreference = 'auto' | 'classic' | 'apis';

export interface DetectedGrafana {
  readonly version: string;
  readonly api: GrafanaApi;
}

interface ApiGroupList {
  groups?: Array<{ name: string; versions?: Array<{ version: string }> }>;
}

/** Dashboard API versions o11y can write, most stable first (v2 uses another spec shape). */
const DASHBOARD_VERSIONS = ['v1', 'v1beta1'];

/**
 * Find out what the server speaks: `/api/health` for the version, `/apis` discovery for the
 * Kubernetes-style groups. Grafana 12+ with dashboard.grafana.app v1 (else v1beta1) and
 * folder.grafana.app uses /apis; anything else the classic /api.
 */
export async function detectGrafana(
  client: HttpClient,
  options: { prefer: ApiPreference; namespace: string },
): Promise<DetectedGrafana> {
  const health = await client.request('GET', '/api/health');
  if (health.status !== 200) throw grafanaError('checking /api/health', health, (t) => client.redact(t));
  const version = String((jsonOf(health) as { version?: unknown } | undefined)?.version ?? 'unknown');
  if (options.prefer === 'classic') return { version, api: classicApi(client) };
  const discovery = await client.request('GET', '/apis');
  if (discovery.status === 401 || discovery.status === 403) {
    throw grafanaError('reading /apis discovery', discovery, (t) => client.redact(t));
  }
  const groups =
    discovery.status === 200 ? ((jsonOf(discovery) as ApiGroupList | undefined)?.groups ?? []) : [];
  const served = (name: string) => groups.find((g) => g.name === name)?.versions?.map((v) => v.version) ?? [];
  const dashboardVersion = DASHBOARD_VERSIONS.find((v) => served('dashboard.grafana.app').includes(v));
  const folderVersion = ['v1', 'v1beta1'].find((v) => served('folder.grafana.app').includes(v));
  if (dashboardVersion && folderVersion) {
    return {
      version,
      api: kubernetesApi(client, { dashboardVersion, folderVersion, namespace: options.namespace }),
    };
  }
  if (options.prefer === 'apis') {
    throw new O11yError(
      `Grafana ${version} does not serve dashboard.grafana.app v1/v1beta1 and folder.grafana.app under /apis`,
      {
        id: 'publish/grafana-apis',
        hint: 'use --api classic (or auto) for Grafana before 12',
      },
    );
  }
  return { version, api: classicApi(client) };
}
