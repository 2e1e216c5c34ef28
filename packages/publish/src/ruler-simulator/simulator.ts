import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, stringify } from 'yaml';
import { LocalHttpService } from '../testing/local-server.ts';

/**
 * THIS IS A SIMULATOR of the Mimir/Cortex ruler configuration API (`/prometheus/config/v1/rules`),
 * for tests: rule groups per tenant (X-Scope-OrgID) and namespace, POST one group as YAML (202),
 * DELETE a group or a namespace (202), GET all / one namespace / one group as YAML.
 */
interface Group {
  name: string;
  rules?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface RulerRequest {
  readonly method: string;
  readonly path: string;
  readonly tenant: string | undefined;
  readonly status: number;
}

const PREFIX = '/prometheus/config/v1/rules';

export class RulerSimulator extends LocalHttpService {
  /** tenant → namespace → group name → group */
  readonly tenants = new Map<string, Map<string, Map<string, Group>>>();
  readonly requests: RulerRequest[] = [];

  namespaces(tenant: string): Map<string, Map<string, Group>> {
    let namespaces = this.tenants.get(tenant);
    if (!namespaces) {
      namespaces = new Map();
      this.tenants.set(tenant, namespaces);
    }
    return namespaces;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://ruler');
    const tenant =
      typeof req.headers['x-scope-orgid'] === 'string' ? req.headers['x-scope-orgid'] : undefined;
    const send = (status: number, text: string, type = 'application/yaml') => {
      this.requests.push({ method, path: url.pathname, tenant, status });
      res.writeHead(status, { 'content-type': type });
      res.end(text);
    };
    const error = (status: number, message: string) =>
      send(
        status,
        JSON.stringify({ status: 'error', errorType: 'bad_data', error: message }),
        'application/json',
      );
    if (!url.pathname.startsWith(PREFIX)) return error(404, 'not found');
    if (!tenant) return send(401, 'no org id\n', 'text/plain');
    const [namespace, group, extra] = url.pathname
      .slice(PREFIX.length)
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    if (extra !== undefined) return error(404, 'not found');
    const namespaces = this.namespaces(tenant);
    const asYaml = (ns: Iterable<[string, Map<string, Group>]>) =>
      stringify(Object.fromEntries([...ns].map(([name, groups]) => [name, [...groups.values()]])));
    if (method === 'GET') {
      if (namespace === undefined) {
        if (namespaces.size === 0) return error(404, 'no rule groups found');
        return send(200, asYaml(namespaces));
      }
      const groups = namespaces.get(namespace);
      if (!groups) return error(404, 'no rule groups found');
      if (group === undefined) return send(200, asYaml([[namespace, groups]]));
      const found = groups.get(group);
      return found ? send(200, stringify(found)) : error(404, 'group does not exist');
    }
    if (method === 'POST' && namespace !== undefined && group === undefined) {
      let parsed: Group;
      try {
        parsed = parse(body) as Group;
      } catch (e) {
        return error(400, `unable to decode rule group: ${(e as Error).message}`);
      }
      if (!parsed || typeof parsed.name !== 'string' || parsed.name === '')
        return error(400, 'invalid rules config: rule group name must not be empty');
      for (const rule of parsed.rules ?? []) {
        if (
          typeof rule.expr !== 'string' ||
          (typeof rule.record !== 'string' && typeof rule.alert !== 'string')
        ) {
          return error(
            400,
            `invalid rules config: rule group '${parsed.name}' has a rule without expr and record or alert`,
          );
        }
      }
      const groups = namespaces.get(namespace) ?? new Map<string, Group>();
      groups.set(parsed.name, parsed);
      namespaces.set(namespace, groups);
      return send(
        202,
        JSON.stringify({ status: 'success', data: null, errorType: '', error: '' }),
        'application/json',
      );
    }
    if (method === 'DELETE' && namespace !== undefined) {
      const groups = namespaces.get(namespace);
      if (!groups || (group !== undefined && !groups.has(group))) return error(404, 'group does not exist');
      if (group === undefined) namespaces.delete(namespace);
      else {
        groups.delete(group);
        if (groups.size === 0) namespaces.delete(namespace);
      }
      return send(
        202,
        JSON.stringify({ status: 'success', data: null, errorType: '', error: '' }),
        'application/json',
      );
    }
    return error(405, 'method not allowed');
  }
}
