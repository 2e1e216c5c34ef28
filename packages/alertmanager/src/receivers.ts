import { captureSource, type SourceLocation } from '@o11y/core';
import type { Secret } from './secrets.ts';

/** Fields written into alertmanager.yml as given, for what the options do not model (an imported config's). */
export type Verbatim = Readonly<Record<string, unknown>>;

interface Notifier {
  /** Also notify when the alert resolves. */
  readonly sendResolved?: boolean;
  /** Fields of this integration the options do not model, in alertmanager.yml's spelling. */
  readonly verbatim?: Verbatim;
}

export interface SlackOptions extends Notifier {
  /** Incoming webhook URL; defaults to the global `slackApiUrl`. */
  readonly apiUrl?: Secret;
  /** Bot token for chat.postMessage, instead of a webhook URL. */
  readonly appToken?: Secret;
  readonly channel?: string;
  readonly username?: string;
  readonly color?: string;
  readonly title?: string;
  readonly titleLink?: string;
  readonly pretext?: string;
  readonly text?: string;
  readonly footer?: string;
  readonly fallback?: string;
  readonly iconEmoji?: string;
  readonly iconUrl?: string;
  readonly linkNames?: boolean;
  readonly mrkdwnIn?: readonly string[];
}

export interface PagerdutyOptions extends Notifier {
  /** Events API v2 integration key. */
  readonly routingKey: Secret;
  readonly url?: string;
  readonly client?: string;
  readonly clientUrl?: string;
  readonly description?: string;
  readonly severity?: string;
  readonly class?: string;
  readonly component?: string;
  readonly group?: string;
  readonly source?: string;
  readonly details?: Readonly<Record<string, string>>;
}

export interface DiscordOptions extends Notifier {
  readonly webhookUrl: Secret;
  readonly title?: string;
  readonly message?: string;
  readonly content?: string;
  readonly username?: string;
  readonly avatarUrl?: string;
}

/** How to reach the SMTP server: set globally, or per e-mail integration to override the global values. */
export interface SmtpSettings {
  readonly from?: string;
  /** `host:port`. */
  readonly smarthost?: string;
  readonly hello?: string;
  readonly authUsername?: string;
  readonly authPassword?: Secret;
  readonly authSecret?: Secret;
  readonly authIdentity?: string;
  readonly requireTls?: boolean;
}

export interface EmailOptions extends Notifier, SmtpSettings {
  readonly to: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly html?: string;
  readonly text?: string;
}

export interface WebhookOptions extends Notifier {
  /** A plain string only for endpoints whose URL is not a credential (checked like every literal). */
  readonly url: Secret | string;
  readonly maxAlerts?: number;
}

export interface MSTeamsOptions extends Notifier {
  readonly webhookUrl: Secret;
  readonly title?: string;
  readonly summary?: string;
  readonly text?: string;
}

export interface MSTeamsV2Options extends Notifier {
  readonly webhookUrl: Secret;
  readonly title?: string;
  readonly text?: string;
}

export interface OpsGenieResponder {
  readonly type: 'team' | 'teams' | 'user' | 'escalation' | 'schedule';
  readonly id?: string;
  readonly name?: string;
  readonly username?: string;
}

export interface OpsGenieOptions extends Notifier {
  /** Default: the global `opsgenieApiKey`. */
  readonly apiKey?: Secret;
  readonly apiUrl?: string;
  readonly message?: string;
  readonly description?: string;
  readonly source?: string;
  readonly details?: Readonly<Record<string, string>>;
  readonly entity?: string;
  readonly responders?: readonly OpsGenieResponder[];
  readonly actions?: string;
  readonly tags?: string;
  readonly note?: string;
  readonly priority?: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  readonly updateAlerts?: boolean;
}

/**
 * Each integration's list key in alertmanager.yml (Alertmanager v0.34) and its secret fields: option
 * name → YAML field; the file variant is that field with `_file`, which v0.34 has for every one.
 */
export const INTEGRATIONS = {
  slack: { key: 'slack_configs', secrets: { apiUrl: 'api_url', appToken: 'app_token' } },
  pagerduty: { key: 'pagerduty_configs', secrets: { routingKey: 'routing_key' } },
  discord: { key: 'discord_configs', secrets: { webhookUrl: 'webhook_url' } },
  email: { key: 'email_configs', secrets: { authPassword: 'auth_password', authSecret: 'auth_secret' } },
  webhook: { key: 'webhook_configs', secrets: { url: 'url' } },
  msteams: { key: 'msteams_configs', secrets: { webhookUrl: 'webhook_url' } },
  msteamsv2: { key: 'msteamsv2_configs', secrets: { webhookUrl: 'webhook_url' } },
  opsgenie: { key: 'opsgenie_configs', secrets: { apiKey: 'api_key' } },
} as const satisfies Record<string, { key: string; secrets: Record<string, string> }>;

export type IntegrationType = keyof typeof INTEGRATIONS;

export interface Integration {
  readonly type: IntegrationType;
  readonly options: Readonly<Record<string, unknown>>;
  readonly source: SourceLocation;
}

/** A named notification target with any number of integrations; none makes a receiver that drops alerts. */
export class Receiver {
  readonly integrations: Integration[] = [];
  verbatimFields: Verbatim = {};

  constructor(
    readonly name: string,
    readonly source: SourceLocation,
  ) {}

  slack(options: SlackOptions): this {
    return this.add('slack', options);
  }

  pagerduty(options: PagerdutyOptions): this {
    return this.add('pagerduty', options);
  }

  discord(options: DiscordOptions): this {
    return this.add('discord', options);
  }

  email(options: EmailOptions): this {
    return this.add('email', options);
  }

  webhook(options: WebhookOptions): this {
    return this.add('webhook', options);
  }

  msteams(options: MSTeamsOptions): this {
    return this.add('msteams', options);
  }

  msteamsv2(options: MSTeamsV2Options): this {
    return this.add('msteamsv2', options);
  }

  opsgenie(options: OpsGenieOptions): this {
    return this.add('opsgenie', options);
  }

  /** Receiver fields the builder does not model (`telegram_configs`, …), in alertmanager.yml's spelling. */
  verbatim(fields: Verbatim): this {
    this.verbatimFields = fields;
    return this;
  }

  private add(type: IntegrationType, options: object): this {
    this.integrations.push({ type, options: { ...options }, source: captureSource() });
    return this;
  }
}

export function receiver(name: string): Receiver {
  return new Receiver(name, captureSource());
}
