import { asObject, json, optionalString, requireWriter, type SimRequest, type SimResponse } from './http.ts';
import { SimulatorError, type SimulatorStore, type StoredDashboard, type StoredFolder } from './store.ts';

/** The classic `/api` routes of Grafana that publishing uses, answered from the shared store. */
export function classicRoutes(
  store: SimulatorStore,
  info: { version: string; listVersionsAsObject: boolean },
) {
  return (request: SimRequest): SimResponse | undefined => {
    const [api, area, ...rest] = request.segments;
    if (api !== 'api') return undefined;
    const method = request.method;
    if (area === 'search' && method === 'GET' && rest.length === 0) return search(store, request.url);
    if (area === 'dashboards') {
      if (rest[0] === 'db' && rest.length === 1 && method === 'POST') return saveDashboard(store, request);
      if (rest[0] === 'uid' && rest[1] !== undefined) {
        const uid = rest[1];
        if (rest.length === 2 && method === 'GET')
          return json(200, dashboardWithMeta(store, requireDashboard(store, uid)));
        if (rest.length === 2 && method === 'DELETE') {
          requireWriter(request.who, 'dashboards:delete');
          const deleted = store.deleteDashboard(uid);
          return json(200, {
            title: deleted.title,
            message: `Dashboard ${deleted.title} deleted`,
            uid,
            id: deleted.id,
          });
        }
        if (rest[2] === 'versions' && method === 'GET')
          return versions(store, uid, rest[3], request.url, info);
      }
    }
    if (area === 'folders') return folders(store, request, rest);
    return undefined;
  };
}

function requireDashboard(store: SimulatorStore, uid: string): StoredDashboard {
  const dashboard = store.dashboards.get(uid);
  if (!dashboard) throw new SimulatorError(404, { status: 'not-found', message: 'Dashboard not found' });
  return dashboard;
}

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function dashboardWithMeta(store: SimulatorStore, d: StoredDashboard) {
  const folder = d.folderUid === undefined ? undefined : store.folders.get(d.folderUid);
  return {
    dashboard: structuredClone(d.data),
    meta: {
      type: 'db',
      canSave: true,
      canEdit: true,
      slug: slugOf(d.title),
      url: `/d/${d.uid}/${slugOf(d.title)}`,
      created: d.created,
      updated: d.updated,
      createdBy: d.createdBy.login,
      updatedBy: d.updatedBy.login,
      version: d.version,
      provisioned: d.provisioned,
      folderUid: d.folderUid ?? '',
      folderTitle: folder?.title ?? 'General',
      folderUrl: folder ? `/dashboards/f/${folder.uid}/${slugOf(folder.title)}` : '',
    },
  };
}

function saveDashboard(store: SimulatorStore, request: SimRequest): SimResponse {
  requireWriter(request.who, 'dashboards:write');
  const body = asObject(request.body);
  const dashboard = asObject(body.dashboard);
  if (Object.keys(dashboard).length === 0) {
    throw new SimulatorError(400, { message: 'bad request data' });
  }
  const message = typeof body.message === 'string' ? body.message : '';
  // Omitting folderUid on an update moves the dashboard to the root folder, as in Grafana.
  const folderUid = optionalString(body.folderUid);
  const saved = store.saveDashboard(
    {
      data: dashboard,
      folderUid,
      overwrite: body.overwrite === true,
      message,
      expectedVersion: typeof dashboard.version === 'number' ? dashboard.version : undefined,
    },
    request.who,
  );
  return json(200, {
    id: saved.id,
    uid: saved.uid,
    url: `/d/${saved.uid}/${slugOf(saved.title)}`,
    status: 'success',
    version: saved.version,
    slug: slugOf(saved.title),
    folderUid: saved.folderUid ?? '',
  });
}

function versions(
  store: SimulatorStore,
  uid: string,
  version: string | undefined,
  url: URL,
  info: { listVersionsAsObject: boolean },
): SimResponse {
  requireDashboard(store, uid);
  const history = [...(store.versions.get(uid) ?? [])].reverse();
  const view = (v: (typeof history)[number]) => ({
    id: v.id,
    dashboardId: v.dashboardId,
    uid,
    parentVersion: v.parentVersion,
    restoredFrom: 0,
    version: v.version,
    created: v.created,
    createdBy: v.createdBy.login,
    message: v.message,
  });
  if (version !== undefined) {
    const found = history.find((v) => String(v.version) === version);
    if (!found) throw new SimulatorError(404, { message: 'Dashboard version not found' });
    return json(200, { ...view(found), data: structuredClone(found.data) });
  }
  const limitParam = Number(url.searchParams.get('limit'));
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : 1000;
  const start = Number(url.searchParams.get('start') ?? 0) || 0;
  const page = history.slice(start, start + limit).map(view);
  return json(200, info.listVersionsAsObject ? { continueToken: '', versions: page } : page);
}

function search(store: SimulatorStore, url: URL): SimResponse {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000) || 1000, 5000);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  const type = url.searchParams.get('type');
  const query = (url.searchParams.get('query') ?? '').toLowerCase();
  const tags = url.searchParams.getAll('tag');
  const folderUids = url.searchParams.getAll('folderUIDs').flatMap((v) => v.split(','));
  const hits: unknown[] = [];
  if (type !== 'dash-db' && tags.length === 0) {
    for (const f of [...store.folders.values()].sort(byTitle)) {
      if (query && !f.title.toLowerCase().includes(query)) continue;
      if (folderUids.length > 0 && !folderUids.includes(f.parentUid ?? 'general')) continue;
      hits.push(folderHit(store, f));
    }
  }
  if (type !== 'dash-folder') {
    for (const d of [...store.dashboards.values()].sort(byTitle)) {
      const dashTags = Array.isArray(d.data.tags) ? (d.data.tags as unknown[]).map(String) : [];
      if (query && !d.title.toLowerCase().includes(query)) continue;
      if (!tags.every((t) => dashTags.includes(t))) continue;
      if (folderUids.length > 0 && !folderUids.includes(d.folderUid ?? 'general')) continue;
      const folder = d.folderUid === undefined ? undefined : store.folders.get(d.folderUid);
      hits.push({
        id: d.id,
        uid: d.uid,
        title: d.title,
        uri: `db/${slugOf(d.title)}`,
        url: `/d/${d.uid}/${slugOf(d.title)}`,
        slug: '',
        type: 'dash-db',
        tags: dashTags,
        isStarred: false,
        ...(folder && { folderId: folder.id, folderUid: folder.uid, folderTitle: folder.title }),
      });
    }
  }
  return json(200, hits.slice((page - 1) * limit, page * limit));
}

function byTitle(a: { title: string; uid: string }, b: { title: string; uid: string }): number {
  return a.title < b.title ? -1 : a.title > b.title ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

function folderHit(store: SimulatorStore, f: StoredFolder) {
  const parent = f.parentUid === undefined ? undefined : store.folders.get(f.parentUid);
  return {
    id: f.id,
    uid: f.uid,
    title: f.title,
    url: `/dashboards/f/${f.uid}/${slugOf(f.title)}`,
    type: 'dash-folder',
    tags: [],
    isStarred: false,
    ...(parent && { folderUid: parent.uid, folderTitle: parent.title }),
  };
}

function folderView(store: SimulatorStore, f: StoredFolder) {
  return {
    id: f.id,
    uid: f.uid,
    title: f.title,
    description: f.description,
    url: `/dashboards/f/${f.uid}/${slugOf(f.title)}`,
    hasAcl: false,
    canSave: true,
    canEdit: true,
    canAdmin: true,
    canDelete: true,
    createdBy: f.createdBy.login,
    created: f.created,
    updatedBy: f.updatedBy.login,
    updated: f.updated,
    version: f.version,
    ...(f.parentUid !== undefined && { parentUid: f.parentUid }),
    parents: store.folderParents(f.uid).map((p) => ({ uid: p.uid, title: p.title })),
  };
}

function folders(
  store: SimulatorStore,
  request: SimRequest,
  rest: readonly string[],
): SimResponse | undefined {
  const method = request.method;
  const body = asObject(request.body);
  if (rest.length === 0 && method === 'GET') {
    const parentUid = optionalString(request.url.searchParams.get('parentUid'));
    const limit = Number(request.url.searchParams.get('limit') ?? 1000) || 1000;
    const page = Math.max(Number(request.url.searchParams.get('page') ?? 1) || 1, 1);
    const children = [...store.folders.values()].filter((f) => f.parentUid === parentUid).sort(byTitle);
    return json(
      200,
      children.slice((page - 1) * limit, page * limit).map((f) => ({
        id: f.id,
        uid: f.uid,
        title: f.title,
        ...(f.parentUid && { parentUid: f.parentUid }),
      })),
    );
  }
  if (rest.length === 0 && method === 'POST') {
    requireWriter(request.who, 'folders:create');
    const created = store.createFolder(
      {
        uid: optionalString(body.uid),
        title: typeof body.title === 'string' ? body.title : '',
        parentUid: optionalString(body.parentUid),
        description: typeof body.description === 'string' ? body.description : undefined,
      },
      request.who,
    );
    return json(200, folderView(store, created));
  }
  const uid = rest[0];
  if (uid === undefined) return undefined;
  if (rest.length === 1 && method === 'GET') return json(200, folderView(store, store.requireFolder(uid)));
  if (rest.length === 1 && method === 'PUT') {
    requireWriter(request.who, 'folders:write');
    const updated = store.updateFolder(
      uid,
      {
        title: typeof body.title === 'string' ? body.title : undefined,
        description: typeof body.description === 'string' ? body.description : undefined,
        version: typeof body.version === 'number' ? body.version : undefined,
        overwrite: body.overwrite === true,
      },
      request.who,
    );
    return json(200, folderView(store, updated));
  }
  if (rest.length === 2 && rest[1] === 'move' && method === 'POST') {
    requireWriter(request.who, 'folders:write');
    return json(200, folderView(store, store.moveFolder(uid, optionalString(body.parentUid), request.who)));
  }
  if (rest.length === 1 && method === 'DELETE') {
    requireWriter(request.who, 'folders:delete');
    const deleted = store.deleteFolder(uid);
    return json(200, { message: 'Folder deleted', title: deleted.title, uid });
  }
  return undefined;
}
