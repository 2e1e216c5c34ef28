import { goDuration, parseDuration } from '@o11y/core';
import { asObject, json, requireWriter, type SimRequest, type SimResponse } from './http.ts';
import { type JsonObject, SimulatorError, type SimulatorStore } from './store.ts';

/**
 * Grafana-managed alert rules as the alerting provisioning HTTP API (`/api/v1/provisioning`) keeps them:
 * each with its provenance — `api` when written through this API, `""` (none) when the request carried
 * `X-Disable-Provenance`, `file` when file provisioning wrote it. Grafana lets a request change a rule
 * only when the rule's provenance is none or the request's own; the UI edits only rules without one.
 */
export interface StoredAlertRule extends JsonObject {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  provenance: string;
  updated: string;
}

export class AlertingStore {
  readonly rules = new Map<string, StoredAlertRule>();
  /** `<folderUid>/<group>` → evaluation interval in seconds. */
  readonly intervals = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly store: SimulatorStore) {}

  groupRules(folderUid: string, group: string): StoredAlertRule[] {
    return [...this.rules.values()].filter((r) => r.folderUID === folderUid && r.ruleGroup === group);
  }

  /** Creates or replaces a rule after Grafana's validation; `provenance` is the writer's. */
  save(input: JsonObject, provenance: string, uid: string | undefined): StoredAlertRule {
    const rule = validRule(input, this.store);
    const existing = uid === undefined ? undefined : this.rules.get(uid);
    const ruleUid =
      uid ?? (typeof input.uid === 'string' && input.uid !== '' ? input.uid : `r${this.nextId}`);
    if (!existing && this.rules.has(ruleUid)) {
      throw new SimulatorError(400, {
        message: 'a conflicting alert rule is found: rule uid under the same organisation should be unique',
      });
    }
    for (const other of this.rules.values()) {
      if (other.uid !== ruleUid && other.folderUID === rule.folderUID && other.title === rule.title) {
        throw new SimulatorError(400, {
          message:
            'a conflicting alert rule is found: rule title under the same organisation and folder should be unique',
        });
      }
    }
    if (existing) checkProvenance(existing.provenance, provenance);
    const stored: StoredAlertRule = {
      ...rule,
      id: existing?.id ?? this.nextId++,
      uid: ruleUid,
      orgID: 1,
      provenance,
      updated: this.store.now(),
    };
    this.rules.set(ruleUid, stored);
    const key = `${stored.folderUID}/${stored.ruleGroup}`;
    if (!this.intervals.has(key)) this.intervals.set(key, DEFAULT_INTERVAL_SECONDS);
    this.store.mutations += 1;
    return stored;
  }

  setInterval(folderUid: string, group: string, seconds: number): void {
    if (this.intervals.get(`${folderUid}/${group}`) === seconds) return;
    this.intervals.set(`${folderUid}/${group}`, seconds);
    this.store.mutations += 1;
  }

  delete(uid: string, provenance: string): void {
    const existing = this.rules.get(uid);
    if (!existing) return;
    checkProvenance(existing.provenance, provenance);
    this.rules.delete(uid);
    this.store.mutations += 1;
  }
}

/** Grafana's default evaluation interval of a group a rule creates. */
const DEFAULT_INTERVAL_SECONDS = 60;
const TITLE_MAX_LENGTH = 190;
const NO_DATA_STATES = ['OK', 'Alerting', 'NoData', 'KeepLast'];
const EXEC_ERROR_STATES = ['OK', 'Alerting', 'Error', 'KeepLast'];

function invalid(message: string): never {
  throw new SimulatorError(400, { message: `invalid alert rule: ${message}` });
}

function durationField(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(`${field} must be a duration`);
  try {
    // Grafana answers with Go's spelling: `10m` comes back as `10m0s`.
    return goDuration(parseDuration(value));
  } catch {
    return invalid(`${field} "${value}" is not a duration`);
  }
}

function stringRecord(value: unknown, field: string): Record<string, string> {
  const record = asObject(value);
  for (const [key, item] of Object.entries(record)) {
    if (typeof item !== 'string') invalid(`${field}.${key} must be a string`);
  }
  return record as Record<string, string>;
}

/** The checks Grafana's provisioning API runs on a rule before storing it (400 on failure). */
function validRule(
  input: JsonObject,
  store: SimulatorStore,
): JsonObject & { title: string; folderUID: string; ruleGroup: string } {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (title === '') invalid('title is empty');
  if (title.length > TITLE_MAX_LENGTH) invalid(`title is longer than ${TITLE_MAX_LENGTH} characters`);
  const folderUID = typeof input.folderUID === 'string' ? input.folderUID : '';
  if (folderUID === '') invalid('folderUID is empty');
  if (!store.folders.has(folderUID)) throw new SimulatorError(400, { message: 'folder does not exist' });
  const ruleGroup = typeof input.ruleGroup === 'string' ? input.ruleGroup : '';
  if (ruleGroup === '') invalid('rule group name is empty');
  const data = Array.isArray(input.data) ? (input.data as JsonObject[]) : [];
  if (data.length === 0) invalid('no queries or expressions are found');
  const refIds = data.map((query) => asObject(query).refId);
  if (typeof input.condition !== 'string' || !refIds.includes(input.condition)) {
    invalid(`condition ${String(input.condition)} does not exist, must be one of [${refIds.join(',')}]`);
  }
  for (const query of data) {
    if (typeof asObject(query).datasourceUid !== 'string') invalid('a query has no datasourceUid');
  }
  if (!NO_DATA_STATES.includes(String(input.noDataState)))
    invalid(`unknown noDataState ${String(input.noDataState)}`);
  if (!EXEC_ERROR_STATES.includes(String(input.execErrState)))
    invalid(`unknown execErrState ${String(input.execErrState)}`);
  return {
    title,
    folderUID,
    ruleGroup,
    condition: input.condition,
    data: structuredClone(data),
    noDataState: input.noDataState,
    execErrState: input.execErrState,
    for: durationField(input.for ?? '0s', 'for'),
    ...(input.keep_firing_for !== undefined && {
      keep_firing_for: durationField(input.keep_firing_for, 'keep_firing_for'),
    }),
    labels: stringRecord(input.labels, 'labels'),
    annotations: stringRecord(input.annotations, 'annotations'),
    isPaused: input.isPaused === true,
  };
}

/** Grafana's rule: a resource may change provenance only from none, or stay with its own. */
export function checkProvenance(stored: string, requested: string): void {
  if (stored === requested || stored === '') return;
  const name = (p: string) => (p === '' ? 'none' : p);
  throw new SimulatorError(403, {
    message: `Resource with provenance status '${name(stored)}' cannot be managed via API that handles resources with provenance status '${name(requested)}'`,
    messageId: 'alerting.notifications.invalidProvenance',
    statusCode: 403,
  });
}

/** The writer's provenance: `api`, or none when the request sends `X-Disable-Provenance` (any value). */
export function provenanceOf(request: SimRequest): string {
  return request.headers['x-disable-provenance'] !== undefined ? '' : 'api';
}

const view = (rule: StoredAlertRule) => structuredClone(rule);

/** `/api/v1/provisioning/alert-rules[/:uid]` and `/api/v1/provisioning/folder/:uid/rule-groups/:group`. */
export function alertingRoutes(alerting: AlertingStore) {
  return (request: SimRequest): SimResponse | undefined => {
    const [api, v1, provisioning, area, ...rest] = request.segments;
    if (api !== 'api' || v1 !== 'v1' || provisioning !== 'provisioning') return undefined;
    const method = request.method;
    if (method !== 'GET') requireWriter(request.who, 'alert.provisioning:write');
    if (area === 'alert-rules') {
      if (rest.length === 0 && method === 'GET') return json(200, [...alerting.rules.values()].map(view));
      if (rest.length === 0 && method === 'POST')
        return json(201, view(alerting.save(asObject(request.body), provenanceOf(request), undefined)));
      const uid = rest[0]!;
      if (rest.length !== 1) return undefined;
      const existing = alerting.rules.get(uid);
      if (method === 'GET') {
        if (!existing) throw new SimulatorError(404, { message: 'rule not found' });
        return json(200, view(existing));
      }
      if (method === 'PUT') {
        if (!existing) throw new SimulatorError(404, { message: 'rule not found' });
        return json(200, view(alerting.save(asObject(request.body), provenanceOf(request), uid)));
      }
      if (method === 'DELETE') {
        alerting.delete(uid, provenanceOf(request));
        return { status: 204, body: undefined };
      }
    }
    if (area === 'folder' && rest.length === 3 && rest[1] === 'rule-groups') {
      const [folderUid, , group] = rest as [string, string, string];
      const rules = alerting.groupRules(folderUid, group);
      if (method === 'GET') {
        if (rules.length === 0) throw new SimulatorError(404, { message: 'rule group not found' });
        return json(200, {
          title: group,
          folderUid,
          interval: alerting.intervals.get(`${folderUid}/${group}`),
          rules: rules.map(view),
        });
      }
      if (method === 'PUT') return putGroup(alerting, request, folderUid, group);
    }
    return undefined;
  };
}

/** Replaces the group: its interval, and its rules (inserted, updated, removed) in one go. */
function putGroup(
  alerting: AlertingStore,
  request: SimRequest,
  folderUid: string,
  group: string,
): SimResponse {
  const body = asObject(request.body);
  const interval = body.interval;
  if (typeof interval !== 'number' || interval <= 0 || interval % 10 !== 0) {
    throw new SimulatorError(400, {
      message: `invalid rule group: interval (${String(interval)}) should be non-zero and divided exactly by scheduler interval: 10s`,
    });
  }
  const provenance = provenanceOf(request);
  const incoming = (Array.isArray(body.rules) ? body.rules : []).map(
    (rule): JsonObject => ({
      ...asObject(rule),
      folderUID: folderUid,
      ruleGroup: group,
    }),
  );
  const keep = new Set(incoming.map((rule) => rule.uid).filter((uid) => typeof uid === 'string'));
  for (const stale of alerting.groupRules(folderUid, group)) {
    if (!keep.has(stale.uid)) alerting.delete(stale.uid, provenance);
  }
  for (const rule of incoming) {
    const uid = typeof rule.uid === 'string' && alerting.rules.has(rule.uid) ? rule.uid : undefined;
    alerting.save(rule, provenance, uid);
  }
  alerting.setInterval(folderUid, group, interval);
  return json(200, {
    title: group,
    folderUid,
    interval,
    rules: alerting.groupRules(folderUid, group).map(view),
  });
}
