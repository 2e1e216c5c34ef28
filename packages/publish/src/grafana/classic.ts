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
import { markerFromTags, OWNER_TAG, withMarkerTags } from './ownership.ts';

const PAGE = 1000;
const SEARCH_LIMIT = 5000;

interface ClassicFolder {
  uid: string;
  title: string;
  parentUid?: string;
  version?: number;
}

interface ClassicDashboard {
  dashboard: Record<string, unknown>;
  meta: { folderUid?: string; version?: number; updatedBy?: string; updated?: string };
}

/** Grafana's classic HTTP API (/api), the only one before Grafana 12. */
export function classicApi(client: HttpClient): GrafanaApi {
  const folderPath = (uid: string) => `/api/folders/${encodeURIComponent(uid)}`;
  const dashboardPath = (uid: string) => `/api/dashboards/uid/${encodeURIComponent(uid)}`;
  const toRemote = (f: ClassicFolder): RemoteFolder => ({
    uid: f.uid,
    title: f.title,
    parentUid: f.parentUid || undefined,
    version: f.version,
  });
  return {
    kind: 'classic',
    label: '/api (classic)',
    client,
    async listFolders() {
      // Nested folders are listed one parent at a time, breadth first.
      const out: RemoteFolder[] = [];
      const queue: Array<string | undefined> = [undefined];
      while (queue.length > 0) {
        const parentUid = queue.shift();
        for (let page = 1; ; page++) {
          const children = await readJson<ClassicFolder[]>(client, '/api/folders', 'listing folders', {
            parentUid,
            limit: PAGE,
            page,
          });
          for (const child of children) {
            out.push({ ...toRemote(child), parentUid });
            queue.push(child.uid);
          }
          if (children.length < PAGE) break;
        }
      }
      return out;
    },
    async getFolder(uid) {
      const folder = await readOptional<ClassicFolder>(client, folderPath(uid), `reading folder ${uid}`);
      return folder && toRemote(folder);
    },
    createFolder(folder: FolderSpec) {
      return client.request('POST', '/api/folders', {
        body: {
          uid: folder.uid,
          title: folder.title,
          ...(folder.parentUid && { parentUid: folder.parentUid }),
        },
      });
    },
    async updateFolder(folder, remote) {
      if (folder.parentUid !== remote.parentUid) {
        const moved = await client.request('POST', `${folderPath(folder.uid)}/move`, {
          body: { parentUid: folder.parentUid ?? '' },
        });
        if (moved.status !== 200 || folder.title === remote.title) return moved;
      }
      return client.request('PUT', folderPath(folder.uid), {
        body: { title: folder.title, overwrite: true },
      });
    },
    async getDashboard(uid) {
      const found = await readOptional<ClassicDashboard>(
        client,
        dashboardPath(uid),
        `reading dashboard ${uid}`,
      );
      if (!found) return undefined;
      const remote: RemoteDashboard = {
        uid,
        title: String(found.dashboard.title ?? ''),
        folderUid: found.meta.folderUid || undefined,
        content: found.dashboard,
        marker: markerFromTags(found.dashboard),
        version: Number(found.meta.version ?? found.dashboard.version ?? 0),
        updatedBy: found.meta.updatedBy,
        updated: found.meta.updated,
      };
      return remote;
    },
    async listOwnedDashboards() {
      const out: Array<{ uid: string; title: string }> = [];
      for (let page = 1; ; page++) {
        const hits = await readJson<Array<{ uid: string; title: string }>>(
          client,
          '/api/search',
          'searching owned dashboards',
          {
            type: 'dash-db',
            tag: OWNER_TAG,
            limit: SEARCH_LIMIT,
            page,
          },
        );
        out.push(...hits.map((h) => ({ uid: h.uid, title: h.title })));
        if (hits.length < SEARCH_LIMIT) return out;
      }
    },
    saveDashboard({ dashboard, checksum, message, remote, force }: SaveDashboard) {
      const { id: _id, version: _version, ...content } = dashboard.json;
      return client.request('POST', '/api/dashboards/db', {
        body: {
          dashboard: {
            ...withMarkerTags(content, checksum),
            id: null,
            uid: dashboard.uid,
            version: remote?.version,
          },
          // Always sent: an update without folderUid would move the dashboard to the root folder.
          folderUid: dashboard.folderUid ?? '',
          overwrite: force,
          message,
        },
      });
    },
    deleteDashboard(uid) {
      return client.request('DELETE', dashboardPath(uid));
    },
  };
}
