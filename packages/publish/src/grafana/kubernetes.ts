import type { FolderSpec } from '../built/grafana.ts';
import type { HttpClient } from '../http/client.ts';
import {
  type GrafanaApi,
  type RemoteDashboard,
  type RemoteFolder,
  readJson,
  readOptional,
  type SaveDashboard,
} from './api.ts';
import {
  ANNOTATIONS,
  markerFromAnnotations,
  markerFromTags,
  ownerAnnotations,
  withMarkerTags,
} from './ownership.ts';

const PAGE = 500;

interface K8sObject {
  metadata: {
    name: string;
    resourceVersion?: string;
    generation?: number;
    annotations?: Record<string, string>;
    continue?: string;
  };
  spec: Record<string, unknown>;
}

interface K8sList {
  metadata?: { continue?: string };
  items: K8sObject[];
}

/** Annotations the server sets itself; never sent back. */
const SERVER_SET = new Set<string>([
  ANNOTATIONS.updatedBy,
  ANNOTATIONS.updatedTimestamp,
  'grafana.app/createdBy',
]);

/**
 * Grafana 12+'s Kubernetes-style API: `dashboard.grafana.app/<version>` and
 * `folder.grafana.app/<folderVersion>` in a namespace (`default` for org 1, `org-N`, `stacks-N`).
 */
export function kubernetesApi(
  client: HttpClient,
  options: { dashboardVersion: string; folderVersion: string; namespace: string },
): GrafanaApi {
  const dashboardsPath = `/apis/dashboard.grafana.app/${options.dashboardVersion}/namespaces/${options.namespace}/dashboards`;
  const foldersPath = `/apis/folder.grafana.app/${options.folderVersion}/namespaces/${options.namespace}/folders`;
  const named = (base: string, name: string) => `${base}/${encodeURIComponent(name)}`;

  const listAll = async (base: string, what: string): Promise<K8sObject[]> => {
    const out: K8sObject[] = [];
    let token: string | undefined;
    do {
      const page = await readJson<K8sList>(client, base, what, { limit: PAGE, continue: token });
      out.push(...page.items);
      token = page.metadata?.continue || undefined;
    } while (token);
    return out;
  };
  const toFolder = (o: K8sObject): RemoteFolder => ({
    uid: o.metadata.name,
    title: String(o.spec.title ?? ''),
    parentUid: o.metadata.annotations?.[ANNOTATIONS.folder] || undefined,
    resourceVersion: o.metadata.resourceVersion,
  });
  const folderBody = (folder: FolderSpec, resourceVersion?: string) => ({
    apiVersion: `folder.grafana.app/${options.folderVersion}`,
    kind: 'Folder',
    metadata: {
      name: folder.uid,
      ...(resourceVersion && { resourceVersion }),
      annotations: folder.parentUid ? { [ANNOTATIONS.folder]: folder.parentUid } : {},
    },
    spec: { title: folder.title },
  });
  return {
    kind: 'apis',
    label: `dashboard.grafana.app/${options.dashboardVersion}`,
    client,
    async listFolders() {
      return (await listAll(foldersPath, 'listing folders')).map(toFolder);
    },
    async getFolder(uid) {
      const found = await readOptional<K8sObject>(client, named(foldersPath, uid), `reading folder ${uid}`);
      return found && toFolder(found);
    },
    createFolder(folder) {
      return client.request('POST', foldersPath, { body: folderBody(folder) });
    },
    updateFolder(folder, remote) {
      return client.request('PUT', named(foldersPath, folder.uid), {
        body: folderBody(folder, remote.resourceVersion),
      });
    },
    async getDashboard(uid) {
      const found = await readOptional<K8sObject>(
        client,
        named(dashboardsPath, uid),
        `reading dashboard ${uid}`,
      );
      if (!found) return undefined;
      const annotations = found.metadata.annotations ?? {};
      const byAnnotation = markerFromAnnotations(annotations);
      const remote: RemoteDashboard = {
        uid,
        title: String(found.spec.title ?? ''),
        folderUid: annotations[ANNOTATIONS.folder] || undefined,
        content: found.spec,
        // Dashboards first published through the classic API carry the marker as tags.
        marker: byAnnotation.owned ? byAnnotation : markerFromTags(found.spec),
        version: found.metadata.generation ?? 0,
        resourceVersion: found.metadata.resourceVersion,
        annotations,
        updatedBy: annotations[ANNOTATIONS.updatedBy],
        updated: annotations[ANNOTATIONS.updatedTimestamp],
      };
      return remote;
    },
    async listOwnedDashboards() {
      return (await listAll(dashboardsPath, 'listing dashboards'))
        .filter(
          (o) => markerFromAnnotations(o.metadata.annotations ?? {}).owned || markerFromTags(o.spec).owned,
        )
        .map((o) => ({ uid: o.metadata.name, title: String(o.spec.title ?? '') }));
    },
    saveDashboard({ dashboard, checksum, message, remote, force }: SaveDashboard) {
      const { id: _id, version: _version, uid: _uid, ...spec } = dashboard.json;
      const kept = Object.fromEntries(
        Object.entries(remote?.annotations ?? {}).filter(([key]) => !SERVER_SET.has(key)),
      );
      const annotations: Record<string, string> = {
        ...kept,
        ...ownerAnnotations(checksum, dashboard.path),
        [ANNOTATIONS.message]: message,
      };
      if (dashboard.folderUid) annotations[ANNOTATIONS.folder] = dashboard.folderUid;
      else delete annotations[ANNOTATIONS.folder];
      const body = {
        apiVersion: `dashboard.grafana.app/${options.dashboardVersion}`,
        kind: 'Dashboard',
        metadata: {
          name: dashboard.uid,
          // resourceVersion makes the update conditional: Grafana answers 409 if it changed meanwhile.
          ...(remote?.resourceVersion && !force && { resourceVersion: remote.resourceVersion }),
          annotations,
        },
        // The classic /api knows no annotations: the tags let it recognise o11y's dashboards too.
        spec: withMarkerTags(spec, checksum),
      };
      return remote
        ? client.request('PUT', named(dashboardsPath, dashboard.uid), { body })
        : client.request('POST', dashboardsPath, { body });
    },
    deleteDashboard(uid) {
      return client.request('DELETE', named(dashboardsPath, uid));
    },
  };
}
