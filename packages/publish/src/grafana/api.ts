import type { DashboardSpec, FolderSpec } from '../built/grafana.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { jsonOf } from '../http/client.ts';
import { grafanaError } from './errors.ts';
import type { OwnershipMarker } from './ownership.ts';

export interface RemoteFolder {
  readonly uid: string;
  readonly title: string;
  readonly parentUid: string | undefined;
  readonly version?: number;
  readonly resourceVersion?: string;
}

export interface RemoteDashboard {
  readonly uid: string;
  readonly title: string;
  readonly folderUid: string | undefined;
  /** The dashboard JSON as Grafana holds it (the /apis `spec`). */
  readonly content: Record<string, unknown>;
  readonly marker: OwnershipMarker;
  readonly version: number;
  readonly resourceVersion?: string;
  readonly annotations?: Record<string, string>;
  readonly updatedBy: string | undefined;
  readonly updated: string | undefined;
}

export interface SaveDashboard {
  readonly dashboard: DashboardSpec;
  readonly checksum: string;
  readonly message: string;
  readonly remote: RemoteDashboard | undefined;
  /** Overwrite even if the dashboard changed since it was read. */
  readonly force: boolean;
}

/** Who last saved a dashboard and when, as Grafana's version history tells it. */
export interface LastChange {
  readonly who: string | undefined;
  readonly when: string | undefined;
  readonly version: number | undefined;
  readonly message: string | undefined;
}

/** The operations publishing needs, over the classic /api or the Kubernetes-style /apis. */
export interface GrafanaApi {
  readonly kind: 'classic' | 'apis';
  /** e.g. `/api (classic)` or `dashboard.grafana.app/v1`. */
  readonly label: string;
  readonly client: HttpClient;
  listFolders(): Promise<RemoteFolder[]>;
  getFolder(uid: string): Promise<RemoteFolder | undefined>;
  createFolder(folder: FolderSpec): Promise<HttpResponse>;
  updateFolder(folder: FolderSpec, remote: RemoteFolder): Promise<HttpResponse>;
  getDashboard(uid: string): Promise<RemoteDashboard | undefined>;
  /** Every dashboard carrying o11y's ownership marker. */
  listOwnedDashboards(): Promise<Array<{ uid: string; title: string }>>;
  saveDashboard(save: SaveDashboard): Promise<HttpResponse>;
  deleteDashboard(uid: string): Promise<HttpResponse>;
}

/** Read a JSON answer, turning anything but `ok` statuses into a clear error. */
export async function readJson<T>(
  client: HttpClient,
  path: string,
  what: string,
  query?: Record<string, string | number | undefined>,
): Promise<T> {
  const response = await client.request('GET', path, { query });
  if (response.status !== 200) throw grafanaError(what, response, (t) => client.redact(t));
  return jsonOf(response) as T;
}

/** Like readJson, but a 404 means "not there". */
export async function readOptional<T>(
  client: HttpClient,
  path: string,
  what: string,
): Promise<T | undefined> {
  const response = await client.request('GET', path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw grafanaError(what, response, (t) => client.redact(t));
  return jsonOf(response) as T;
}

interface VersionView {
  version?: number;
  created?: string;
  createdBy?: string;
  message?: string;
}

/**
 * The latest entry of the dashboard's version history (classic endpoint, still served by Grafana 12+):
 * it names the login of whoever saved it, where /apis annotations only carry an opaque user id.
 */
export async function lastChange(
  client: HttpClient,
  uid: string,
  fallback: RemoteDashboard,
): Promise<LastChange> {
  const response = await client.request('GET', `/api/dashboards/uid/${encodeURIComponent(uid)}/versions`, {
    query: { limit: 1 },
  });
  const body = response.status === 200 ? jsonOf(response) : undefined;
  const list = (Array.isArray(body) ? body : (body as { versions?: unknown })?.versions) as
    | VersionView[]
    | undefined;
  const latest = Array.isArray(list) ? list[0] : undefined;
  return {
    who: latest?.createdBy ?? fallback.updatedBy,
    when: latest?.created ?? fallback.updated,
    version: latest?.version ?? fallback.version,
    message: latest?.message || undefined,
  };
}
