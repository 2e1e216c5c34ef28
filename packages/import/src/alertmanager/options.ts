import {
  DEFAULT_SECRETS_DIRECTORY,
  type DiscordOptions,
  describeSecretLiteral,
  type EmailOptions,
  type GlobalOptions,
  type MSTeamsOptions,
  type MSTeamsV2Options,
  type OpsGenieOptions,
  type PagerdutyOptions,
  type SlackOptions,
  type SmtpOptions,
  type WebhookOptions,
} from '@o11y/alertmanager';
import { O11yError } from '@o11y/core';
import { isRecord, type Json } from '../json.ts';
import { fileStem, NameAllocator } from '../names.ts';
import type { LostItem, Normalisation, PassthroughItem, SecretItem } from '../report.ts';

/** What YAML value a builder option takes: `secret` ones become file references, `url` ones when they look secret. */
export type Kind =
  | 'string'
  | 'boolean'
  | 'number'
  | 'strings'
  | 'map'
  | 'secret'
  | 'url'
  | 'responders'
  | 'priority';

/** Every option of a builder's options type, and what YAML value it takes; `satisfies` keeps it complete. */
type OptionKinds<T> = { readonly [K in Exclude<keyof T, 'verbatim'>]-?: Kind };

const SLACK = {
  sendResolved: 'boolean',
  apiUrl: 'secret',
  appToken: 'secret',
  channel: 'string',
  username: 'string',
  color: 'string',
  title: 'string',
  titleLink: 'string',
  pretext: 'string',
  text: 'string',
  footer: 'string',
  fallback: 'string',
  iconEmoji: 'string',
  iconUrl: 'string',
  linkNames: 'boolean',
  mrkdwnIn: 'strings',
} as const satisfies OptionKinds<SlackOptions>;
const PAGERDUTY = {
  sendResolved: 'boolean',
  routingKey: 'secret',
  url: 'string',
  client: 'string',
  clientUrl: 'string',
  description: 'string',
  severity: 'string',
  class: 'string',
  component: 'string',
  group: 'string',
  source: 'string',
  details: 'map',
} as const satisfies OptionKinds<PagerdutyOptions>;
const DISCORD = {
  sendResolved: 'boolean',
  webhookUrl: 'secret',
  title: 'string',
  message: 'string',
  content: 'string',
  username: 'string',
  avatarUrl: 'string',
} as const satisfies OptionKinds<DiscordOptions>;
export const SMTP = {
  from: 'string',
  smarthost: 'string',
  hello: 'string',
  authUsername: 'string',
  authPassword: 'secret',
  authSecret: 'secret',
  authIdentity: 'string',
  requireTls: 'boolean',
} as const satisfies OptionKinds<SmtpOptions>;
const EMAIL = {
  ...SMTP,
  sendResolved: 'boolean',
  to: 'string',
  headers: 'map',
  html: 'string',
  text: 'string',
} as const satisfies OptionKinds<EmailOptions>;
const WEBHOOK = {
  sendResolved: 'boolean',
  url: 'url',
  maxAlerts: 'number',
} as const satisfies OptionKinds<WebhookOptions>;
const MSTEAMS = {
  sendResolved: 'boolean',
  webhookUrl: 'secret',
  title: 'string',
  summary: 'string',
  text: 'string',
} as const satisfies OptionKinds<MSTeamsOptions>;
const MSTEAMSV2 = {
  sendResolved: 'boolean',
  webhookUrl: 'secret',
  title: 'string',
  text: 'string',
} as const satisfies OptionKinds<MSTeamsV2Options>;
const OPSGENIE = {
  sendResolved: 'boolean',
  apiKey: 'secret',
  apiUrl: 'string',
  message: 'string',
  description: 'string',
  source: 'string',
  details: 'map',
  entity: 'string',
  responders: 'responders',
  actions: 'string',
  tags: 'string',
  note: 'string',
  priority: 'priority',
  updateAlerts: 'boolean',
} as const satisfies OptionKinds<OpsGenieOptions>;
export const GLOBAL = {
  resolveTimeout: 'string',
  slackApiUrl: 'secret',
  pagerdutyUrl: 'string',
  opsgenieApiUrl: 'string',
  opsgenieApiKey: 'secret',
} as const satisfies OptionKinds<Omit<GlobalOptions, 'smtp'>>;

/** The integrations the Receiver builder has: its method, the YAML list, the fields it cannot do without. */
export const INTEGRATIONS: Readonly<
  Record<string, { method: string; kinds: Record<string, Kind>; required?: string }>
> = {
  slack_configs: { method: 'slack', kinds: SLACK },
  pagerduty_configs: { method: 'pagerduty', kinds: PAGERDUTY, required: 'routing_key' },
  discord_configs: { method: 'discord', kinds: DISCORD, required: 'webhook_url' },
  email_configs: { method: 'email', kinds: EMAIL, required: 'to' },
  webhook_configs: { method: 'webhook', kinds: WEBHOOK, required: 'url' },
  msteams_configs: { method: 'msteams', kinds: MSTEAMS, required: 'webhook_url' },
  msteamsv2_configs: { method: 'msteamsv2', kinds: MSTEAMSV2, required: 'webhook_url' },
  opsgenie_configs: { method: 'opsgenie', kinds: OPSGENIE },
};

/** Fields of unmodelled settings (http_config, other integrations) that hold a secret and have a `_file` twin. */
export const SECRET_FIELD =
  /(?:^|_)(?:password|token|token_id|credentials|client_secret|service_key|user_key|api_key|api_secret|secret_key|routing_key|auth_secret)$/;
export const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y)){1,3}$/;
const PRIORITY = /^P[1-5]$/;
const RESPONDER_TYPES = ['team', 'teams', 'user', 'escalation', 'schedule'];

export const camelOf = (field: string) =>
  field.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** A secret read from a file: written as `secret.file(path)`. */
export class FileRef {
  constructor(readonly path: string) {}
}

export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JS literal of YAML values, with file references as `secret.file(…)`. */
export function literal(value: unknown): string {
  if (value instanceof FileRef) return `secret.file(${JSON.stringify(value.path)})`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fits(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'secret':
    case 'url':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'map':
      return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'priority':
      return typeof value === 'string' && PRIORITY.test(value);
    case 'responders':
      return (
        Array.isArray(value) &&
        value.every(
          (r) =>
            isRecord(r) &&
            RESPONDER_TYPES.includes(String(r.type)) &&
            Object.entries(r).every(
              ([k, v]) => ['type', 'id', 'name', 'username'].includes(k) && typeof v === 'string',
            ),
        )
      );
  }
}

/** The options of one builder call, its verbatim fields, and the YAML the build should write for it. */
export interface Converted {
  readonly options: Record<string, unknown>;
  readonly verbatim: Json;
  readonly expected: Json;
}

export type YamlPath = readonly (string | number)[];

export class Importer {
  readonly passthrough: PassthroughItem[] = [];
  readonly normalisations: Normalisation[] = [];
  readonly lost: LostItem[] = [];
  readonly secrets: SecretItem[] = [];
  readonly labels = new Map<string, Set<string>>();
  private readonly secretFiles = new NameAllocator();

  constructor(
    readonly file: string,
    readonly module: string,
    private readonly lineOf: (path: YamlPath) => number,
  ) {}

  at(path: YamlPath): string {
    return `${this.file}:${this.lineOf(path)}`;
  }

  fail(path: YamlPath, message: string, hint: string): never {
    throw new O11yError(`${this.at(path)}: ${message}`, { id: 'import/alertmanager', hint });
  }

  /** The file the user puts an inline secret in; the secret itself is never kept. */
  secretFile(path: YamlPath, field: string, stem: string): string {
    const file = `${DEFAULT_SECRETS_DIRECTORY}/${this.secretFiles.take(fileStem(stem.replaceAll('_', '-')), '-')}`;
    this.secrets.push({ input: this.at(path), field, file });
    return file;
  }

  note(item: string, reason: string): void {
    this.passthrough.push({ module: this.module, item, reason });
  }

  /** A label routes match or group on; `values` are the literal values matched. */
  label(name: string, values: readonly string[] = []): void {
    if (name === 'alertname') return;
    const known = this.labels.get(name) ?? new Set<string>();
    for (const value of values) known.add(value);
    this.labels.set(name, known);
  }

  /** Stops the import at a string that looks like a secret, in a value the builder writes as given. */
  refuseSecrets(value: unknown, path: YamlPath, where: string): void {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) this.refuseSecrets(v, [...path, i], `${where}[${i}]`);
    } else if (isRecord(value)) {
      for (const [key, v] of Object.entries(value)) this.refuseSecrets(v, [...path, key], `${where}.${key}`);
    } else if (typeof value === 'string') {
      const looksLike = describeSecretLiteral(value);
      if (looksLike) {
        this.fail(
          path,
          `${where} looks like ${looksLike}, and o11y writes no secret into code`,
          'put it in a file on the Alertmanager host, reference the file with the field’s _file variant, and import again',
        );
      }
    }
  }

  /**
   * A value kept verbatim: inline secrets in fields with a `_file` twin become that twin; any other
   * string that looks like a secret stops the import rather than be written into code.
   */
  verbatim(value: unknown, path: YamlPath, where: string, stem: string): unknown {
    if (typeof value === 'string') {
      this.refuseSecrets(value, path, where);
      return value;
    }
    if (Array.isArray(value))
      return value.map((v, i) => this.verbatim(v, [...path, i], `${where}[${i}]`, `${stem}-${i + 1}`));
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => this.verbatimField(key, v, path, where, stem)),
    );
  }

  /** One field of a map kept verbatim: `[key, value]`, or `[key_file, path]` for an inline secret. */
  verbatimField(key: string, value: unknown, path: YamlPath, where: string, stem: string): [string, unknown] {
    const at = [...path, key];
    if (typeof value === 'string' && SECRET_FIELD.test(key)) {
      return [`${key}_file`, this.secretFile(at, `${where}.${key}`, `${stem}-${key}`)];
    }
    return [key, this.verbatim(value, at, `${where}.${key}`, `${stem}-${key}`)];
  }

  /** YAML fields as builder options: secrets as file references, what the options lack kept verbatim. */
  convert(
    fields: Json,
    kinds: Record<string, Kind>,
    path: YamlPath,
    where: string,
    stem: string,
    prefix = '',
  ): Converted {
    const converted: Converted = { options: {}, verbatim: {}, expected: {} };
    for (const [key, value] of Object.entries(fields)) {
      const field = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
      const fileTwin = field?.endsWith('_file') ? camelOf(field.slice(0, -'_file'.length)) : undefined;
      const kind = field === undefined ? undefined : kinds[camelOf(field)];
      const secretKind = fileTwin ? kinds[fileTwin] : undefined;
      if (fileTwin && (secretKind === 'secret' || secretKind === 'url') && typeof value === 'string') {
        converted.options[fileTwin] = new FileRef(value);
        converted.expected[key] = value;
      } else if (
        field !== undefined &&
        typeof value === 'string' &&
        (kind === 'secret' || (kind === 'url' && describeSecretLiteral(value)))
      ) {
        const file = this.secretFile([...path, key], `${where}.${key}`, `${stem}-${field}`);
        converted.options[camelOf(field)] = new FileRef(file);
        converted.expected[`${key}_file`] = file;
      } else if (field !== undefined && kind !== undefined && kind !== 'secret' && fits(kind, value)) {
        this.refuseSecrets(value, [...path, key], `${where}.${key}`);
        converted.options[camelOf(field)] = value;
        converted.expected[key] = value;
      } else {
        const [name, kept] = this.verbatimField(key, value, path, where, stem);
        converted.verbatim[name] = kept;
        converted.expected[name] = kept;
        this.note(`${where}.${key}`, 'kept verbatim: the builder has no option for it');
      }
    }
    return converted;
  }
}

/** `{ …options, verbatim: {…} }` without an empty verbatim. */
export function optionsOf(converted: Converted): Record<string, unknown> {
  return Object.keys(converted.verbatim).length > 0
    ? { ...converted.options, verbatim: converted.verbatim }
    : converted.options;
}
