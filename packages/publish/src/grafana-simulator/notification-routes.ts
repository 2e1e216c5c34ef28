import { checkProvenance, provenanceOf } from './alerting-routes.ts';
import { asObject, json, requireWriter, type SimRequest, type SimResponse } from './http.ts';
import { type JsonObject, SimulatorError, type SimulatorStore } from './store.ts';

/**
 * Contact points, the notification policy tree, mute timings and notification templates as the
 * alerting provisioning HTTP API (`/api/v1/provisioning`) keeps them, each with the same provenance
 * rule as alert rules. Grafana answers a read of a contact point with its secure settings replaced by
 * `[REDACTED]`, and a write carrying `[REDACTED]` keeps the stored secret.
 */
export const REDACTED = '[REDACTED]';

/** Each integration type this simulator accepts: its secure settings, and the setting it cannot do without. */
const INTEGRATIONS: Readonly<
  Record<string, { secure: readonly string[]; required: (s: JsonObject) => string | undefined }>
> = {
  slack: {
    secure: ['url', 'token'],
    required: (s) => (s.url || s.token ? undefined : 'token must be specified when using the Slack chat API'),
  },
  pagerduty: {
    secure: ['integrationKey'],
    required: (s) => (s.integrationKey ? undefined : 'could not find integration key property in settings'),
  },
  discord: {
    secure: ['url'],
    required: (s) => (s.url ? undefined : 'could not find webhook url property in settings'),
  },
  email: {
    secure: [],
    required: (s) => (s.addresses ? undefined : 'could not find addresses in settings'),
  },
  webhook: {
    secure: ['password', 'authorization_credentials'],
    required: (s) => (s.url ? undefined : 'required field "url" is not specified'),
  },
};

const MATCH_OPERATORS = ['=', '!=', '=~', '!~'];

export interface StoredContactPoint extends JsonObject {
  uid: string;
  name: string;
  type: string;
  settings: JsonObject;
  provenance: string;
}

interface Stored extends JsonObject {
  name: string;
  provenance: string;
}

/** Grafana's tree in a fresh organisation: everything to the default email contact point. */
const DEFAULT_RECEIVER = 'grafana-default-email';
const defaultPolicy = (): JsonObject => ({
  receiver: DEFAULT_RECEIVER,
  group_by: ['grafana_folder', 'alertname'],
  provenance: '',
});

export class NotificationStore {
  readonly contactPoints = new Map<string, StoredContactPoint>();
  readonly muteTimings = new Map<string, Stored>();
  readonly templates = new Map<string, Stored>();
  policy: JsonObject = defaultPolicy();

  constructor(private readonly store: SimulatorStore) {
    this.contactPoints.set('default-email', {
      uid: 'default-email',
      name: DEFAULT_RECEIVER,
      type: 'email',
      settings: { addresses: '<example@email.com>' },
      disableResolveMessage: false,
      provenance: '',
    });
  }

  private written(): void {
    this.store.mutations += 1;
  }

  saveContactPoint(input: JsonObject, provenance: string, uid: string | undefined): StoredContactPoint {
    const existing = uid === undefined ? undefined : this.contactPoints.get(uid);
    const pointUid =
      uid ??
      (typeof input.uid === 'string' && input.uid !== '' ? input.uid : `cp${this.contactPoints.size + 1}`);
    if (!existing && this.contactPoints.has(pointUid))
      throw new SimulatorError(400, { message: `contact point with uid ${pointUid} already exists` });
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') throw new SimulatorError(400, { message: 'contact point name cannot be empty' });
    const type = String(input.type ?? '');
    const integration = INTEGRATIONS[type];
    if (!integration) throw new SimulatorError(400, { message: `notifier type "${type}" is not supported` });
    const settings = structuredClone(asObject(input.settings));
    for (const key of integration.secure) {
      if (settings[key] === REDACTED) settings[key] = existing?.settings[key];
    }
    const missing = integration.required(settings);
    if (missing)
      throw new SimulatorError(400, {
        message: `failed to validate integration "${name}" (UID ${pointUid}) of type "${type}": ${missing}`,
      });
    if (existing) {
      checkProvenance(existing.provenance, provenance);
      if (existing.name !== name && this.inUse(existing.name, existing.uid))
        throw new SimulatorError(409, {
          message: `contact point '${existing.name}' is currently used by a notification policy`,
        });
    }
    const stored: StoredContactPoint = {
      uid: pointUid,
      name,
      type,
      settings,
      disableResolveMessage: input.disableResolveMessage === true,
      provenance,
    };
    this.contactPoints.set(pointUid, stored);
    this.written();
    return stored;
  }

  /** A name the policy tree routes to, and no other integration of that name would remain. */
  private inUse(name: string, leaving: string): boolean {
    const others = [...this.contactPoints.values()].some((p) => p.name === name && p.uid !== leaving);
    return !others && policyNames(this.policy, 'receiver').has(name);
  }

  deleteContactPoint(uid: string, provenance: string): void {
    const existing = this.contactPoints.get(uid);
    if (!existing) return;
    checkProvenance(existing.provenance, provenance);
    if (this.inUse(existing.name, uid))
      throw new SimulatorError(409, {
        message: `contact point '${existing.name}' is currently used by a notification policy`,
      });
    this.contactPoints.delete(uid);
    this.written();
  }

  /** Grafana validates the whole tree against the contact points and mute timings that exist. */
  savePolicy(input: JsonObject, provenance: string): void {
    checkProvenance(String(this.policy.provenance ?? ''), provenance);
    if (typeof input.receiver !== 'string' || input.receiver === '')
      throw new SimulatorError(400, {
        message: 'invalid object specification: root route must specify a default receiver',
      });
    const names = new Set([...this.contactPoints.values()].map((p) => p.name));
    for (const receiver of policyNames(input, 'receiver')) {
      if (!names.has(receiver))
        throw new SimulatorError(400, {
          message: `invalid object specification: receiver '${receiver}' does not exist`,
        });
    }
    for (const field of ['mute_time_intervals', 'active_time_intervals'] as const) {
      for (const interval of policyNames(input, field)) {
        if (!this.muteTimings.has(interval))
          throw new SimulatorError(400, {
            message: `invalid object specification: mute time interval '${interval}' does not exist`,
          });
      }
    }
    checkMatchers(input);
    const { provenance: _ignored, ...tree } = structuredClone(input);
    this.policy = { ...tree, provenance };
    this.written();
  }

  resetPolicy(provenance: string): void {
    checkProvenance(String(this.policy.provenance ?? ''), provenance);
    this.policy = defaultPolicy();
    this.written();
  }

  saveMuteTiming(input: JsonObject, provenance: string, name: string | undefined): Stored {
    const existing = name === undefined ? undefined : this.muteTimings.get(name);
    const timingName = typeof input.name === 'string' ? input.name : '';
    if (timingName === '') throw new SimulatorError(400, { message: 'invalid mute timing: name is empty' });
    if (!existing && this.muteTimings.has(timingName))
      throw new SimulatorError(409, { message: `a mute timing with name '${timingName}' already exists` });
    if (existing && timingName !== existing.name)
      throw new SimulatorError(400, { message: 'invalid mute timing: the name cannot be changed' });
    if (!Array.isArray(input.time_intervals))
      throw new SimulatorError(400, { message: 'invalid mute timing: time_intervals must be a list' });
    if (existing) checkProvenance(existing.provenance, provenance);
    const stored: Stored = {
      name: timingName,
      time_intervals: structuredClone(input.time_intervals),
      provenance,
    };
    this.muteTimings.set(timingName, stored);
    this.written();
    return stored;
  }

  deleteMuteTiming(name: string, provenance: string): void {
    const existing = this.muteTimings.get(name);
    if (!existing) return;
    checkProvenance(existing.provenance, provenance);
    const used = new Set([
      ...policyNames(this.policy, 'mute_time_intervals'),
      ...policyNames(this.policy, 'active_time_intervals'),
    ]);
    if (used.has(name))
      throw new SimulatorError(409, {
        message: `mute timing '${name}' is currently used by a notification policy`,
      });
    this.muteTimings.delete(name);
    this.written();
  }

  saveTemplate(name: string, input: JsonObject, provenance: string): Stored {
    const existing = this.templates.get(name);
    if (existing) checkProvenance(existing.provenance, provenance);
    if (typeof input.template !== 'string' || input.template === '')
      throw new SimulatorError(400, { message: 'invalid template: template must not be empty' });
    const stored: Stored = { name, template: input.template, provenance };
    this.templates.set(name, stored);
    this.written();
    return stored;
  }
}

/** Every receiver (or interval) name the tree refers to. */
function policyNames(
  policy: JsonObject,
  field: 'receiver' | 'mute_time_intervals' | 'active_time_intervals',
): Set<string> {
  const names = new Set<string>();
  const walk = (node: JsonObject) => {
    const value = node[field];
    if (typeof value === 'string' && value !== '') names.add(value);
    if (Array.isArray(value)) for (const name of value) names.add(String(name));
    for (const child of Array.isArray(node.routes) ? node.routes : []) walk(asObject(child));
  };
  walk(policy);
  return names;
}

function checkMatchers(node: JsonObject): void {
  for (const matcher of Array.isArray(node.object_matchers) ? node.object_matchers : []) {
    if (!Array.isArray(matcher) || matcher.length !== 3 || !MATCH_OPERATORS.includes(String(matcher[1])))
      throw new SimulatorError(400, {
        message: `invalid object specification: bad matcher ${JSON.stringify(matcher)}`,
      });
  }
  for (const child of Array.isArray(node.routes) ? node.routes : []) checkMatchers(asObject(child));
}

/** A contact point as Grafana shows it: secure settings that hold a value redacted. */
function redacted(point: StoredContactPoint): JsonObject {
  const settings = structuredClone(point.settings);
  for (const key of INTEGRATIONS[point.type]?.secure ?? []) {
    if (settings[key] !== undefined && settings[key] !== '') settings[key] = REDACTED;
  }
  return { ...structuredClone(point), settings };
}

/** `/api/v1/provisioning/{contact-points,policies,mute-timings,templates}`. */
export function notificationRoutes(notifications: NotificationStore) {
  return (request: SimRequest): SimResponse | undefined => {
    const [api, v1, provisioning, area, ...rest] = request.segments;
    if (api !== 'api' || v1 !== 'v1' || provisioning !== 'provisioning') return undefined;
    const method = request.method;
    if (method !== 'GET') requireWriter(request.who, 'alert.notifications.provisioning:write');
    const provenance = provenanceOf(request);
    const body = asObject(request.body);
    const key = rest[0];
    if (rest.length > 1) return undefined;
    if (area === 'contact-points') {
      if (key === undefined && method === 'GET')
        return json(200, [...notifications.contactPoints.values()].map(redacted));
      if (key === undefined && method === 'POST')
        return json(202, redacted(notifications.saveContactPoint(body, provenance, undefined)));
      if (key !== undefined && method === 'PUT') {
        if (!notifications.contactPoints.has(key))
          throw new SimulatorError(404, { message: 'contact point not found' });
        notifications.saveContactPoint(body, provenance, key);
        return json(202, { message: 'contactpoint updated' });
      }
      if (key !== undefined && method === 'DELETE') {
        notifications.deleteContactPoint(key, provenance);
        return json(202, { message: 'contactpoint deleted' });
      }
    }
    if (area === 'policies' && key === undefined) {
      if (method === 'GET') return json(200, structuredClone(notifications.policy));
      if (method === 'PUT') {
        notifications.savePolicy(body, provenance);
        return json(202, { message: 'policies updated' });
      }
      if (method === 'DELETE') {
        notifications.resetPolicy(provenance);
        return json(202, structuredClone(notifications.policy));
      }
    }
    if (area === 'mute-timings') {
      if (key === undefined && method === 'GET')
        return json(
          200,
          [...notifications.muteTimings.values()].map((m) => structuredClone(m)),
        );
      if (key === undefined && method === 'POST')
        return json(201, notifications.saveMuteTiming(body, provenance, undefined));
      const existing = key === undefined ? undefined : notifications.muteTimings.get(key);
      if (key !== undefined && method === 'GET') {
        if (!existing) throw new SimulatorError(404, { message: 'mute timing not found' });
        return json(200, structuredClone(existing));
      }
      if (key !== undefined && method === 'PUT') {
        if (!existing) throw new SimulatorError(404, { message: 'mute timing not found' });
        return json(202, notifications.saveMuteTiming(body, provenance, key));
      }
      if (key !== undefined && method === 'DELETE') {
        notifications.deleteMuteTiming(key, provenance);
        return { status: 204, body: undefined };
      }
    }
    if (area === 'templates' && key !== undefined) {
      const existing = notifications.templates.get(key);
      if (method === 'GET') {
        if (!existing) throw new SimulatorError(404, { message: 'template not found' });
        return json(200, structuredClone(existing));
      }
      if (method === 'PUT') return json(202, notifications.saveTemplate(key, body, provenance));
    }
    return undefined;
  };
}
