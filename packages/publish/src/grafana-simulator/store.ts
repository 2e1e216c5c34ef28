/**
 * The state behind the Grafana API simulator: folders, dashboards and their version history, shared by
 * the classic /api and the Kubernetes-style /apis routes exactly as one Grafana database is. The rules
 * follow Grafana's documented behaviour (see shared/notes/grafana-api.md and the dashboard store's
 * update checks): optimistic versions, uid ≤ 40 characters, nested folders, provisioned dashboards.
 */
export type JsonObject = Record<string, unknown>;

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface Identity {
  /** Stable id as the /apis annotations show it, e.g. `service-account:sa-ci`. */
  readonly ref: string;
  /** Login as the classic API shows it in `createdBy` / `updatedBy`. */
  readonly login: string;
  readonly role: Role;
}

export interface StoredFolder {
  id: number;
  uid: string;
  title: string;
  description: string;
  parentUid: string | undefined;
  version: number;
  resourceVersion: string;
  created: string;
  updated: string;
  createdBy: Identity;
  updatedBy: Identity;
  annotations: Record<string, string>;
}

export interface StoredDashboard {
  id: number;
  uid: string;
  title: string;
  folderUid: string | undefined;
  data: JsonObject;
  version: number;
  resourceVersion: string;
  generation: number;
  created: string;
  updated: string;
  createdBy: Identity;
  updatedBy: Identity;
  /** Metadata annotations of the /apis object (managedBy, sourceChecksum, …); never part of `data`. */
  annotations: Record<string, string>;
  /** Dashboards from file provisioning cannot be saved through the API. */
  provisioned: boolean;
  pluginId: string | undefined;
}

export interface StoredVersion {
  id: number;
  dashboardUid: string;
  dashboardId: number;
  version: number;
  parentVersion: number;
  created: string;
  createdBy: Identity;
  message: string;
  data: JsonObject;
}

/** An error Grafana answers with: HTTP status and the classic JSON body. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
    /** Kubernetes Status reason for the /apis routes. */
    readonly reason: string = reasonFor(status),
  ) {
    super(String(body.message ?? status));
  }
}

function reasonFor(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 412:
      return 'Conflict';
    case 413:
      return 'RequestEntityTooLarge';
    default:
      return 'InternalError';
  }
}

export const UID_MAX_LENGTH = 40;
export const MESSAGE_MAX_LENGTH = 500;
export const TITLE_MAX_LENGTH = 5000;
/** Grafana's default limit on nested folder depth. */
export const MAX_FOLDER_DEPTH = 4;

export interface SaveDashboardInput {
  readonly data: JsonObject;
  readonly folderUid: string | undefined;
  readonly overwrite: boolean;
  readonly message: string;
  /** Version the writer last read; `undefined` for a create with `id: null`. */
  readonly expectedVersion: number | undefined;
  readonly annotations?: Record<string, string>;
}

export class SimulatorStore {
  readonly folders = new Map<string, StoredFolder>();
  readonly dashboards = new Map<string, StoredDashboard>();
  readonly versions = new Map<string, StoredVersion[]>();
  /** Number of changes applied to the store: what "zero writes" is measured by. */
  mutations = 0;
  private nextId = 1;
  private nextVersionId = 1;
  private resourceVersion = 1_700_000_000_000;
  private tick = 0;

  constructor(private readonly epoch: number = Date.UTC(2026, 0, 1)) {}

  /** A copy to try a change on without keeping it (`dryRun=All`). */
  fork(): SimulatorStore {
    const copy = new SimulatorStore(this.epoch);
    for (const [uid, f] of this.folders) copy.folders.set(uid, structuredClone(f));
    for (const [uid, d] of this.dashboards) copy.dashboards.set(uid, structuredClone(d));
    for (const [uid, v] of this.versions) copy.versions.set(uid, structuredClone(v));
    copy.nextId = this.nextId;
    copy.nextVersionId = this.nextVersionId;
    copy.resourceVersion = this.resourceVersion;
    copy.tick = this.tick;
    return copy;
  }

  /** A deterministic clock: every change happens one second after the previous one. */
  now(): string {
    this.tick += 1;
    return new Date(this.epoch + this.tick * 1000).toISOString().replace('.000Z', 'Z');
  }

  private bumpResourceVersion(): string {
    this.resourceVersion += 1 + (this.mutations % 7);
    return String(this.resourceVersion);
  }

  // ---------------------------------------------------------------- folders

  folderDepth(uid: string | undefined): number {
    let depth = 0;
    let current = uid;
    while (current !== undefined) {
      depth += 1;
      current = this.folders.get(current)?.parentUid;
    }
    return depth;
  }

  folderParents(uid: string | undefined): StoredFolder[] {
    const chain: StoredFolder[] = [];
    let current = uid === undefined ? undefined : this.folders.get(uid)?.parentUid;
    while (current !== undefined) {
      const folder = this.folders.get(current);
      if (!folder) break;
      chain.unshift(folder);
      current = folder.parentUid;
    }
    return chain;
  }

  createFolder(
    input: {
      uid?: string;
      title: string;
      parentUid?: string;
      description?: string;
      annotations?: Record<string, string>;
    },
    who: Identity,
  ): StoredFolder {
    const title = input.title?.trim() ?? '';
    if (title === '') throw new SimulatorError(400, { message: 'folder title cannot be empty' });
    const uid = input.uid ?? `f${this.nextId}`;
    if (uid.length > UID_MAX_LENGTH)
      throw new SimulatorError(400, { message: 'uid too long, max 40 characters' });
    if (this.folders.has(uid) || this.dashboards.has(uid)) {
      throw new SimulatorError(
        409,
        { message: 'a folder with the same uid already exists' },
        'AlreadyExists',
      );
    }
    if (input.parentUid !== undefined && !this.folders.has(input.parentUid)) {
      throw new SimulatorError(404, { message: 'folder not found', status: 'not-found' });
    }
    if (this.folderDepth(input.parentUid) + 1 > MAX_FOLDER_DEPTH) {
      throw new SimulatorError(400, {
        message: `folder max depth exceeded, max depth is ${MAX_FOLDER_DEPTH}`,
      });
    }
    this.assertUniqueFolderTitle(title, input.parentUid, undefined);
    const now = this.now();
    const folder: StoredFolder = {
      id: this.nextId++,
      uid,
      title,
      description: input.description ?? '',
      parentUid: input.parentUid,
      version: 1,
      resourceVersion: this.bumpResourceVersion(),
      created: now,
      updated: now,
      createdBy: who,
      updatedBy: who,
      annotations: { ...input.annotations },
    };
    this.folders.set(uid, folder);
    this.mutations++;
    return folder;
  }

  updateFolder(
    uid: string,
    input: {
      title?: string;
      description?: string;
      version?: number;
      overwrite?: boolean;
      annotations?: Record<string, string>;
    },
    who: Identity,
  ): StoredFolder {
    const folder = this.requireFolder(uid);
    if (!input.overwrite && input.version !== undefined && input.version !== folder.version) {
      throw new SimulatorError(412, {
        status: 'version-mismatch',
        message: 'the folder has been changed by someone else',
      });
    }
    const title = input.title?.trim() ?? folder.title;
    if (title === '') throw new SimulatorError(400, { message: 'folder title cannot be empty' });
    this.assertUniqueFolderTitle(title, folder.parentUid, uid);
    folder.title = title;
    folder.description = input.description ?? folder.description;
    if (input.annotations) folder.annotations = { ...input.annotations };
    this.touchFolder(folder, who);
    return folder;
  }

  moveFolder(uid: string, parentUid: string | undefined, who: Identity): StoredFolder {
    const folder = this.requireFolder(uid);
    if (parentUid !== undefined) {
      if (!this.folders.has(parentUid))
        throw new SimulatorError(404, { message: 'folder not found', status: 'not-found' });
      let ancestor: string | undefined = parentUid;
      while (ancestor !== undefined) {
        if (ancestor === uid)
          throw new SimulatorError(400, { message: 'folder cannot be moved into itself or a descendant' });
        ancestor = this.folders.get(ancestor)?.parentUid;
      }
      if (this.folderDepth(parentUid) + this.subtreeHeight(uid) > MAX_FOLDER_DEPTH) {
        throw new SimulatorError(400, {
          message: `folder max depth exceeded, max depth is ${MAX_FOLDER_DEPTH}`,
        });
      }
    }
    this.assertUniqueFolderTitle(folder.title, parentUid, uid);
    folder.parentUid = parentUid;
    this.touchFolder(folder, who);
    return folder;
  }

  deleteFolder(uid: string): StoredFolder {
    const folder = this.requireFolder(uid);
    const children = [...this.folders.values()].filter((f) => f.parentUid === uid);
    const contained = [...this.dashboards.values()].filter((d) => d.folderUid === uid);
    if (children.length > 0 || contained.length > 0) {
      throw new SimulatorError(400, { message: 'folder is not empty' });
    }
    this.folders.delete(uid);
    this.mutations++;
    return folder;
  }

  requireFolder(uid: string): StoredFolder {
    const folder = this.folders.get(uid);
    if (!folder) throw new SimulatorError(404, { message: 'folder not found', status: 'not-found' });
    return folder;
  }

  private subtreeHeight(uid: string): number {
    const children = [...this.folders.values()].filter((f) => f.parentUid === uid);
    return 1 + Math.max(0, ...children.map((c) => this.subtreeHeight(c.uid)));
  }

  private assertUniqueFolderTitle(
    title: string,
    parentUid: string | undefined,
    self: string | undefined,
  ): void {
    for (const other of this.folders.values()) {
      if (other.uid !== self && other.parentUid === parentUid && other.title === title) {
        throw new SimulatorError(409, {
          message: 'a folder with the same name already exists in the parent folder',
        });
      }
    }
  }

  private touchFolder(folder: StoredFolder, who: Identity): void {
    folder.version += 1;
    folder.updated = this.now();
    folder.updatedBy = who;
    folder.resourceVersion = this.bumpResourceVersion();
    this.mutations++;
  }

  // ---------------------------------------------------------------- dashboards

  /**
   * Save a dashboard the way Grafana's dashboard service does: find it by id or uid, refuse a stale
   * version unless `overwrite`, validate title/uid/folder/message, then write a new version.
   */
  saveDashboard(input: SaveDashboardInput, who: Identity): StoredDashboard {
    const data = structuredClone(input.data);
    const title = typeof data.title === 'string' ? data.title.trim() : '';
    if (title === '') {
      throw new SimulatorError(400, { status: 'empty-name', message: 'Dashboard title cannot be empty' });
    }
    if (title.length > TITLE_MAX_LENGTH) {
      throw new SimulatorError(400, {
        status: 'title-too-long',
        message: 'Dashboard title cannot be longer than 5000 characters',
      });
    }
    if (input.message.length > MESSAGE_MAX_LENGTH) {
      throw new SimulatorError(400, { message: 'Message too long, max 500 characters' });
    }
    const uid = typeof data.uid === 'string' && data.uid !== '' ? data.uid : `d${this.nextId}`;
    if (uid.length > UID_MAX_LENGTH)
      throw new SimulatorError(400, { message: 'uid too long, max 40 characters' });
    if (input.folderUid !== undefined && input.folderUid !== '' && !this.folders.has(input.folderUid)) {
      throw new SimulatorError(400, { message: 'folder not found' });
    }
    if (this.folders.has(uid)) {
      throw new SimulatorError(400, { message: 'A dashboard with the same uid already exists' });
    }
    const id = typeof data.id === 'number' && data.id > 0 ? data.id : undefined;
    const byId = id === undefined ? undefined : [...this.dashboards.values()].find((d) => d.id === id);
    if (id !== undefined && !byId)
      throw new SimulatorError(404, { status: 'not-found', message: 'Dashboard not found' });
    const byUid = this.dashboards.get(uid);
    if (byId && byUid && byId.id !== byUid.id) {
      throw new SimulatorError(400, { message: 'A dashboard with the same uid already exists' });
    }
    const existing = byId ?? byUid;
    const folderUid = input.folderUid === '' ? undefined : input.folderUid;
    const now = this.now();
    if (existing) {
      if (existing.version !== (input.expectedVersion ?? 0) && !input.overwrite) {
        throw new SimulatorError(412, {
          status: 'version-mismatch',
          message: 'The dashboard has been changed by someone else',
        });
      }
      if (existing.pluginId !== undefined && !input.overwrite) {
        throw new SimulatorError(412, {
          status: 'plugin-dashboard',
          message: `The dashboard belongs to plugin ${existing.pluginId}.`,
        });
      }
      if (existing.provisioned)
        throw new SimulatorError(400, { message: 'Cannot save provisioned dashboard' });
      const version = existing.version + 1;
      existing.title = title;
      existing.folderUid = folderUid;
      existing.data = { ...data, id: existing.id, uid, version };
      existing.version = version;
      existing.generation += 1;
      existing.updated = now;
      existing.updatedBy = who;
      existing.resourceVersion = this.bumpResourceVersion();
      if (input.annotations) existing.annotations = { ...input.annotations };
      this.recordVersion(existing, version - 1, who, input.message, now);
      this.mutations++;
      return existing;
    }
    const dashboard: StoredDashboard = {
      id: this.nextId++,
      uid,
      title,
      folderUid,
      data: {},
      version: 1,
      resourceVersion: this.bumpResourceVersion(),
      generation: 1,
      created: now,
      updated: now,
      createdBy: who,
      updatedBy: who,
      annotations: { ...input.annotations },
      provisioned: false,
      pluginId: undefined,
    };
    dashboard.data = { ...data, id: dashboard.id, uid, version: 1 };
    this.dashboards.set(uid, dashboard);
    this.recordVersion(dashboard, 0, who, input.message, now);
    this.mutations++;
    return dashboard;
  }

  deleteDashboard(uid: string): StoredDashboard {
    const dashboard = this.dashboards.get(uid);
    if (!dashboard) throw new SimulatorError(404, { status: 'not-found', message: 'Dashboard not found' });
    if (dashboard.provisioned) {
      throw new SimulatorError(400, { message: 'provisioned dashboard cannot be deleted' });
    }
    this.dashboards.delete(uid);
    this.mutations++;
    return dashboard;
  }

  private recordVersion(
    d: StoredDashboard,
    parentVersion: number,
    who: Identity,
    message: string,
    now: string,
  ): void {
    const history = this.versions.get(d.uid) ?? [];
    history.push({
      id: this.nextVersionId++,
      dashboardUid: d.uid,
      dashboardId: d.id,
      version: d.version,
      parentVersion,
      created: now,
      createdBy: who,
      message,
      data: structuredClone(d.data),
    });
    this.versions.set(d.uid, history);
  }
}
