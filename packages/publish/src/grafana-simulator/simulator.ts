import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpService } from '../testing/local-server.ts';
import { AlertingStore, alertingRoutes, type StoredAlertRule } from './alerting-routes.ts';
import { apisRoutes } from './apis-routes.ts';
import { classicRoutes } from './classic-routes.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { ForbiddenError, isWriteMethod, type SimRequest, type SimResponse } from './http.ts';
import { NotificationStore, notificationRoutes } from './notification-routes.ts';
import {
  type Identity,
  type JsonObject,
  SimulatorError,
  SimulatorStore,
  type StoredDashboard,
} from './store.ts';

/**
 * THIS IS A SIMULATOR, not Grafana. Grafana cannot run on this machine, so publishing is tested
 * against this in-process HTTP server that follows Grafana's documented API contract: the classic
 * /api (dashboards/db, dashboards/uid, versions, folders with parents, search, health) and, in
 * Grafana 12+ mode, the Kubernetes-style /apis (discovery, dashboard.grafana.app, folder.grafana.app,
 * resourceVersion conflicts, annotations, list paging). It injects faults on demand and lets a test
 * act as a person editing a dashboard in the UI.
 */
export interface GrafanaSimulatorOptions {
  /** 11 serves only the classic /api; 12 adds /apis with dashboard v1beta1; 13 adds dashboard v1. */
  readonly grafanaVersion?: 11 | 12 | 13;
  /** Bearer tokens accepted, with the identity each one acts as. */
  readonly tokens?: Readonly<Record<string, Omit<Identity, 'ref'> & { ref?: string }>>;
  /** Largest request body accepted before answering 413 (Grafana sits behind such limits). */
  readonly maxBodyBytes?: number;
  readonly faults?: FaultOptions;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly fault: string | undefined;
}

export interface HumanEdit {
  readonly login?: string;
  readonly folderUid?: string | null;
  readonly message?: string;
}

const VERSIONS = { 11: '11.6.3', 12: '12.2.1', 13: '13.0.1' } as const;

export class GrafanaSimulator extends LocalHttpService {
  readonly store = new SimulatorStore();
  /** Grafana-managed alerting, in the same database (folders, the write count) as the dashboards. */
  readonly alerting = new AlertingStore(this.store);
  /** Contact points, the notification policy tree, mute timings and templates of Grafana's Alertmanager. */
  readonly notifications = new NotificationStore(this.store);
  readonly faults: FaultInjector;
  readonly requests: RequestRecord[] = [];
  readonly grafanaVersion: 11 | 12 | 13;
  private readonly identities = new Map<string, Identity>();
  private readonly routes: Array<(request: SimRequest) => SimResponse | undefined>;
  private readonly maxBodyBytes: number;

  constructor(options: GrafanaSimulatorOptions = {}) {
    super();
    this.grafanaVersion = options.grafanaVersion ?? 12;
    this.maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
    this.faults = new FaultInjector(options.faults);
    for (const [token, identity] of Object.entries(options.tokens ?? {})) {
      this.identities.set(token, { ...identity, ref: identity.ref ?? `service-account:${identity.login}` });
    }
    const version = VERSIONS[this.grafanaVersion];
    this.routes = [
      classicRoutes(this.store, { version, listVersionsAsObject: this.grafanaVersion >= 12 }),
      alertingRoutes(this.alerting),
      notificationRoutes(this.notifications),
    ];
    if (this.grafanaVersion >= 12) {
      this.routes.push(
        apisRoutes(this.store, {
          dashboardVersions:
            this.grafanaVersion >= 13 ? ['v1', 'v1beta1', 'v0alpha1'] : ['v1beta1', 'v0alpha1'],
          folderVersions: ['v1beta1'],
        }),
      );
    }
  }

  /** Writes that reached the store (faulted requests that never applied are not counted). */
  get mutations(): number {
    return this.store.mutations;
  }

  /**
   * Act as a person saving the dashboard from the Grafana UI: the change is applied as a new version
   * by that user, keeping tags and metadata annotations as the UI does.
   */
  editAsHuman(uid: string, change: (dashboard: JsonObject) => void, edit: HumanEdit = {}): StoredDashboard {
    const existing = this.store.dashboards.get(uid);
    if (!existing) throw new Error(`simulator: no dashboard ${uid}`);
    const data = structuredClone(existing.data);
    change(data);
    const login = edit.login ?? 'alice';
    return this.store.saveDashboard(
      {
        data,
        folderUid: edit.folderUid === null ? undefined : (edit.folderUid ?? existing.folderUid),
        overwrite: false,
        message: edit.message ?? '',
        expectedVersion: existing.version,
        annotations: {
          ...existing.annotations,
          'grafana.app/saved-from-ui': `Grafana v${VERSIONS[this.grafanaVersion]}`,
        },
      },
      { login, ref: `user:${login}`, role: 'Editor' },
    );
  }

  /**
   * Act as a person editing an alert rule in the Grafana UI. The UI refuses rules with a provenance
   * (written by file provisioning, or by the API without `X-Disable-Provenance`): they are read-only there.
   */
  editAlertRuleAsHuman(uid: string, change: (rule: JsonObject) => void): StoredAlertRule {
    const existing = this.alerting.rules.get(uid);
    if (!existing) throw new Error(`simulator: no alert rule ${uid}`);
    if (existing.provenance !== '')
      throw new Error(
        `simulator: alert rule ${uid} is provisioned (${existing.provenance}) and read-only in the UI`,
      );
    const edited = structuredClone(existing) as JsonObject;
    change(edited);
    return this.alerting.save(edited, '', uid);
  }

  /** A rule as Grafana's file provisioning writes it at startup: provenance `file`. */
  provisionAlertRuleFromFile(rule: JsonObject): StoredAlertRule {
    return this.alerting.save(rule, 'file', undefined);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    const record = (status: number, fault?: string) =>
      this.requests.push({ method, path: url.pathname + url.search, status, fault });
    const raw = await readBody(req, this.maxBodyBytes);
    const isApis = url.pathname.startsWith('/apis');
    if (raw === undefined) {
      record(413);
      return respond(
        res,
        413,
        errorBody(isApis, new SimulatorError(413, { message: 'request body too large' })),
      );
    }
    if (url.pathname === '/api/health') {
      record(200);
      return respond(res, 200, {
        commit: 'simulator',
        database: 'ok',
        version: VERSIONS[this.grafanaVersion],
      });
    }
    const decision = this.faults.decide(isWriteMethod(method));
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (decision.kind === 'rate-limit') {
      record(429, 'rate-limit');
      return respond(
        res,
        429,
        { message: 'Too Many Requests' },
        { 'retry-after': String(decision.retryAfterSeconds) },
      );
    }
    if (decision.kind === 'server-error') {
      record(decision.status, 'server-error');
      return respond(res, decision.status, { message: 'Internal Server Error' });
    }
    const who = this.authenticate(req);
    if (!who) {
      record(401);
      return respond(
        res,
        401,
        isApis
          ? k8sStatus(401, 'Unauthorized', 'Unauthorized')
          : { message: 'Invalid API key', messageId: 'api-key.invalid', statusCode: 401, traceID: '' },
      );
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        record(400);
        return respond(res, 400, errorBody(isApis, new SimulatorError(400, { message: 'bad request data' })));
      }
    }
    const request: SimRequest = {
      method,
      url,
      segments: url.pathname.split('/').filter(Boolean),
      body,
      who,
      headers: req.headers,
    };
    let response: SimResponse;
    try {
      response = this.route(request);
    } catch (error) {
      if (error instanceof ForbiddenError) {
        record(403);
        return respond(
          res,
          403,
          isApis
            ? k8sStatus(403, 'Forbidden', error.message)
            : { accessErrorId: 'ACE0000000001', message: error.message, title: 'Access denied' },
        );
      }
      if (!(error instanceof SimulatorError)) throw error;
      record(error.status);
      return respond(res, error.status, errorBody(isApis, error));
    }
    if (decision.kind === 'lost-response') {
      record(decision.status, 'lost-response');
      return respond(res, decision.status, { message: 'Bad Gateway' });
    }
    record(response.status);
    respond(res, response.status, response.body, response.headers);
  }

  private authenticate(req: IncomingMessage): Identity | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    return match ? this.identities.get(match[1]!) : undefined;
  }

  private route(request: SimRequest): SimResponse {
    for (const route of this.routes) {
      const response = route(request);
      if (response) return response;
    }
    throw new SimulatorError(404, { message: 'Not found' }, 'NotFound');
  }
}

function k8sStatus(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function errorBody(isApis: boolean, error: SimulatorError): unknown {
  return isApis ? k8sStatus(error.status, error.reason, error.message) : error.body;
}

function respond(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The request body, or undefined when it is larger than `limit` (the rest is drained, not kept). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}
