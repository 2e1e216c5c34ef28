import { asObject, json, optionalString, requireWriter, type SimRequest, type SimResponse } from './http.ts';
import {
  type JsonObject,
  SimulatorError,
  type SimulatorStore,
  type StoredDashboard,
  type StoredFolder,
} from './store.ts';

/** Annotations the server owns: clients may send them but the stored values come from the server. */
const SERVER_ANNOTATIONS = [
  'grafana.app/createdBy',
  'grafana.app/updatedBy',
  'grafana.app/updatedTimestamp',
  'grafana.app/folder',
  'grafana.app/message',
];
export const FOLDER_ANNOTATION = 'grafana.app/folder';
export const MESSAGE_ANNOTATION = 'grafana.app/message';

export interface ApisInfo {
  /** Versions of dashboard.grafana.app served, most preferred first. */
  readonly dashboardVersions: readonly string[];
  readonly folderVersions: readonly string[];
}

/** The Kubernetes-style `/apis` routes of Grafana 12+: discovery, dashboards and folders. */
export function apisRoutes(store: SimulatorStore, info: ApisInfo) {
  return (request: SimRequest): SimResponse | undefined => {
    const [apis, group, version, namespaces, namespace, resource, name, extra] = request.segments;
    if (apis !== 'apis') return undefined;
    if (group === undefined) return json(200, discovery(info));
    const versions =
      group === 'dashboard.grafana.app'
        ? info.dashboardVersions
        : group === 'folder.grafana.app'
          ? info.folderVersions
          : [];
    if (versions.length === 0) return undefined;
    if (version === undefined) return json(200, groupDiscovery(group, versions));
    if (!versions.includes(version)) return undefined;
    if (
      namespaces !== 'namespaces' ||
      namespace === undefined ||
      resource === undefined ||
      extra !== undefined
    ) {
      return undefined;
    }
    if (namespace !== 'default' && namespace !== 'org-1' && namespace !== 'stacks-1') {
      throw new SimulatorError(403, { message: `namespace ${namespace} is not accessible` });
    }
    const apiVersion = `${group}/${version}`;
    const dryRun = request.url.searchParams.get('dryRun') === 'All';
    if (group === DASHBOARDS.group && resource === DASHBOARDS.resource) {
      return resourceRoutes(DASHBOARDS, store, request, apiVersion, name, dryRun);
    }
    if (group === FOLDERS.group && resource === FOLDERS.resource) {
      return resourceRoutes(FOLDERS, store, request, apiVersion, name, dryRun);
    }
    return undefined;
  };
}

function discovery(info: ApisInfo) {
  const groups = [
    ['dashboard.grafana.app', info.dashboardVersions],
    ['folder.grafana.app', info.folderVersions],
  ] as const;
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups
      .filter(([, versions]) => versions.length > 0)
      .map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
  };
}

function groupDiscovery(group: string, versions: readonly string[]) {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

function userAnnotations(metadata: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(metadata.annotations))) {
    if (typeof value === 'string' && !SERVER_ANNOTATIONS.includes(key)) out[key] = value;
  }
  return out;
}

function annotation(metadata: JsonObject, key: string): string | undefined {
  return optionalString(asObject(metadata.annotations)[key]);
}

function commonMetadata(
  item: { uid: string; id: number; resourceVersion: string; created: string; updated: string },
  who: { createdBy: { ref: string }; updatedBy: { ref: string } },
  annotations: Record<string, string>,
  folderUid: string | undefined,
  generation: number,
) {
  return {
    name: item.uid,
    namespace: 'default',
    uid: `00000000-0000-4000-8000-${item.id.toString(16).padStart(12, '0')}`,
    resourceVersion: item.resourceVersion,
    generation,
    creationTimestamp: item.created,
    labels: { 'grafana.app/deprecatedInternalID': String(item.id) },
    annotations: {
      ...annotations,
      'grafana.app/createdBy': who.createdBy.ref,
      'grafana.app/updatedBy': who.updatedBy.ref,
      'grafana.app/updatedTimestamp': item.updated,
      ...(folderUid !== undefined && { [FOLDER_ANNOTATION]: folderUid }),
    },
  };
}

function dashboardResource(d: StoredDashboard, apiVersion: string) {
  const { id: _id, uid: _uid, version: _version, ...spec } = d.data;
  return {
    kind: 'Dashboard',
    apiVersion,
    metadata: commonMetadata(d, d, d.annotations, d.folderUid, d.generation),
    spec,
  };
}

function folderResource(f: StoredFolder, apiVersion: string) {
  return {
    kind: 'Folder',
    apiVersion,
    metadata: commonMetadata(f, f, f.annotations, f.parentUid, f.version),
    spec: { title: f.title, ...(f.description && { description: f.description }) },
  };
}

function list<T extends { uid: string }>(
  items: T[],
  url: URL,
  kind: string,
  apiVersion: string,
  view: (item: T) => unknown,
) {
  const sorted = items.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const limit = Number(url.searchParams.get('limit') ?? 0) || sorted.length || 1;
  const token = url.searchParams.get('continue');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new SimulatorError(400, { message: 'continue key is not valid' }, 'BadRequest');
  }
  const page = sorted.slice(start, start + limit);
  const next =
    start + limit < sorted.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return {
    kind,
    apiVersion,
    metadata: {
      ...(next && { continue: next, remainingItemCount: sorted.length - start - limit }),
    },
    items: page.map(view),
  };
}

function checkName(request: SimRequest, name: string | undefined, metadata: JsonObject): string {
  const bodyName = optionalString(metadata.name);
  if (name !== undefined && bodyName !== undefined && bodyName !== name) {
    throw new SimulatorError(400, {
      message: `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
    });
  }
  const resolved = name ?? bodyName;
  if (resolved === undefined) {
    throw new SimulatorError(400, { message: 'name or generateName is required' }, 'Invalid');
  }
  if (
    request.method === 'PUT' &&
    metadata.resourceVersion !== undefined &&
    typeof metadata.resourceVersion !== 'string'
  ) {
    throw new SimulatorError(400, { message: 'metadata.resourceVersion must be a string' });
  }
  return resolved;
}

function conflict(resource: string, name: string): SimulatorError {
  return new SimulatorError(
    409,
    {
      message: `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    },
    'Conflict',
  );
}

/** How one resource kind is stored; the HTTP semantics around it are shared by every kind. */
interface ResourceKind<T extends { uid: string; resourceVersion: string }> {
  /** `dashboards.dashboard.grafana.app`, as Kubernetes names it in messages. */
  readonly qualified: string;
  readonly group: string;
  readonly resource: string;
  readonly listKind: string;
  items(store: SimulatorStore): Map<string, T>;
  view(item: T, apiVersion: string): unknown;
  remove(target: SimulatorStore, name: string): void;
  save(
    target: SimulatorStore,
    input: {
      name: string;
      existing: T | undefined;
      metadata: JsonObject;
      spec: JsonObject;
      request: SimRequest;
    },
  ): T;
}

const DASHBOARDS: ResourceKind<StoredDashboard> = {
  qualified: 'dashboards.dashboard.grafana.app',
  group: 'dashboard.grafana.app',
  resource: 'dashboards',
  listKind: 'DashboardList',
  items: (store) => store.dashboards,
  view: dashboardResource,
  remove: (target, name) => target.deleteDashboard(name),
  save: (target, { name, existing, metadata, spec, request }) =>
    target.saveDashboard(
      {
        data: { ...spec, uid: name, id: existing?.id ?? null },
        folderUid: annotation(metadata, FOLDER_ANNOTATION),
        overwrite: true,
        message: annotation(metadata, MESSAGE_ANNOTATION) ?? '',
        expectedVersion: existing?.version,
        annotations: userAnnotations(metadata),
      },
      request.who,
    ),
};

const FOLDERS: ResourceKind<StoredFolder> = {
  qualified: 'folders.folder.grafana.app',
  group: 'folder.grafana.app',
  resource: 'folders',
  listKind: 'FolderList',
  items: (store) => store.folders,
  view: folderResource,
  remove: (target, name) => target.deleteFolder(name),
  save: (target, { name, existing, metadata, spec, request }) => {
    const parentUid = annotation(metadata, FOLDER_ANNOTATION);
    const title = typeof spec.title === 'string' ? spec.title : '';
    const description = typeof spec.description === 'string' ? spec.description : undefined;
    const annotations = userAnnotations(metadata);
    if (!existing)
      return target.createFolder({ uid: name, title, parentUid, description, annotations }, request.who);
    if (parentUid !== existing.parentUid) target.moveFolder(name, parentUid, request.who);
    return target.updateFolder(name, { title, description, overwrite: true, annotations }, request.who);
  },
};

/** List, get, create (201 / 409 AlreadyExists), update (resourceVersion → 409 Conflict), delete. */
function resourceRoutes<T extends { uid: string; resourceVersion: string }>(
  kind: ResourceKind<T>,
  store: SimulatorStore,
  request: SimRequest,
  apiVersion: string,
  name: string | undefined,
  dryRun: boolean,
): SimResponse | undefined {
  const target = dryRun ? store.fork() : store;
  const method = request.method;
  const items = kind.items(store);
  if (method === 'GET') {
    if (name === undefined) {
      return json(
        200,
        list([...items.values()], request.url, kind.listKind, apiVersion, (i) => kind.view(i, apiVersion)),
      );
    }
    const item = items.get(name);
    if (!item) throw notFound(kind.qualified, name);
    return json(200, kind.view(item, apiVersion));
  }
  if (method === 'DELETE' && name !== undefined) {
    requireWriter(request.who, `${kind.resource}:delete`);
    if (!items.has(name)) throw notFound(kind.qualified, name);
    kind.remove(target, name);
    return json(200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: kind.group, kind: kind.resource },
    });
  }
  if ((method === 'POST' && name === undefined) || (method === 'PUT' && name !== undefined)) {
    requireWriter(request.who, `${kind.resource}:${method === 'POST' ? 'create' : 'write'}`);
    const body = asObject(request.body);
    const metadata = asObject(body.metadata);
    const resolved = checkName(request, name, metadata);
    const existing = items.get(resolved);
    if (method === 'POST' && existing) {
      throw new SimulatorError(
        409,
        { message: `${kind.qualified} "${resolved}" already exists` },
        'AlreadyExists',
      );
    }
    if (method === 'PUT' && !existing) throw notFound(kind.qualified, resolved);
    const resourceVersion = optionalString(metadata.resourceVersion);
    if (existing && resourceVersion !== undefined && resourceVersion !== existing.resourceVersion) {
      throw conflict(kind.qualified, resolved);
    }
    const saved = kind.save(target, {
      name: resolved,
      existing,
      metadata,
      spec: asObject(body.spec),
      request,
    });
    return json(method === 'POST' ? 201 : 200, kind.view(saved, apiVersion));
  }
  return undefined;
}

function notFound(resource: string, name: string): SimulatorError {
  return new SimulatorError(404, { message: `${resource} "${name}" not found` }, 'NotFound');
}
