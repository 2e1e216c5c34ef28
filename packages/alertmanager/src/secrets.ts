import { captureSource, O11yError, type SourceLocation } from '@o11y/core';

const SECRET = Symbol.for('o11y.alertmanager.secret');

/**
 * A reference to a secret, never its value. The default build emits the `*_file` field: the file
 * path for `secret.file`, `<secretsDirectory>/<VAR>` for `secret.env`; only renderDeployable reads
 * the environment and writes the value itself.
 */
export type Secret = FileSecret | EnvSecret;

export interface FileSecret {
  readonly [SECRET]: 'file';
  readonly path: string;
  readonly source: SourceLocation;
}

export interface EnvSecret {
  readonly [SECRET]: 'env';
  readonly variable: string;
  readonly source: SourceLocation;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const secret = {
  /** A file on the Alertmanager host holding the secret; emitted as the `*_file` field. */
  file(path: string): FileSecret {
    const source = captureSource();
    // Never echo the argument: if it is not a path it is probably the secret itself.
    if (typeof path !== 'string' || path === '' || path.includes('://') || describeSecretLiteral(path)) {
      throw new O11yError('secret.file() takes the path of a file holding the secret, not the secret', {
        source,
        id: 'alertmanager/secret-literal',
        hint: "pass a path such as '/etc/alertmanager/secrets/slack-webhook-url' and put the secret in that file",
      });
    }
    return Object.freeze({ [SECRET]: 'file' as const, path, source });
  },
  /** An environment variable read only when rendering a deployable config (renderDeployable). */
  env(variable: string): EnvSecret {
    const source = captureSource();
    if (typeof variable !== 'string' || !ENV_NAME.test(variable)) {
      throw new O11yError('secret.env() takes the name of an environment variable, not the secret', {
        source,
        id: 'alertmanager/secret-literal',
        hint: "pass a variable name such as 'SLACK_WEBHOOK_URL'",
      });
    }
    return Object.freeze({ [SECRET]: 'env' as const, variable, source });
  },
};

export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && SECRET in value;
}

export function secretKind(value: Secret): 'file' | 'env' {
  return value[SECRET];
}

/** How secrets are written: `*_file` references (the build), or env values inlined (a deployable config). */
export type SecretMode =
  | { readonly kind: 'files'; readonly secretsDirectory: string }
  | { readonly kind: 'deployable'; readonly env: Readonly<Record<string, string | undefined>> };

/**
 * The YAML fields for one secret: `{ [fileKey]: path }`, or `{ [inlineKey]: value }` for an env
 * secret in a deployable render. A missing variable is an error naming the variable, never a value.
 */
export function renderSecret(
  value: Secret,
  inlineKey: string,
  fileKey: string,
  mode: SecretMode,
): Record<string, string> {
  if (value[SECRET] === 'file') return { [fileKey]: value.path };
  if (mode.kind === 'files') return { [fileKey]: `${mode.secretsDirectory}/${value.variable}` };
  const resolved = mode.env[value.variable];
  if (!resolved) throw new O11yError(missingEnvMessage(value), missingEnvDetails(value));
  return { [inlineKey]: resolved };
}

export function missingEnvMessage(ref: EnvSecret): string {
  return `environment variable ${ref.variable} is not set`;
}

export function missingEnvDetails(ref: EnvSecret) {
  return {
    source: ref.source,
    id: 'alertmanager/secret-missing',
    hint: `set ${ref.variable} in the environment that renders the deployable config`,
  };
}

const TOKEN_QUERY =
  /[?&](?:token|key|api_?key|apikey|secret|sig|signature|password|passwd|access_token|auth)=/i;
const SLACK_TOKEN = /\bxox[abposr]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,}/;
const KNOWN_WEBHOOKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/hooks\.slack\.com\//i, 'a Slack webhook URL'],
  [/discord(?:app)?\.com\/api\/webhooks\//i, 'a Discord webhook URL'],
  [/\.webhook\.office\.com\/|outlook\.office(?:365)?\.com\/webhook/i, 'a Microsoft Teams webhook URL'],
  [/\.logic\.azure\.com\/workflows\//i, 'a Microsoft Teams workflow URL'],
  [/events\.pagerduty\.com\/integration\/[A-Za-z0-9]{16,}/i, 'a PagerDuty integration URL'],
];

/** A path segment or bare string that carries a token: long, and mixing letters with digits. */
function looksLikeToken(text: string, minLength: number): boolean {
  return (
    text.length >= minLength &&
    /^[A-Za-z0-9_\-+/=]+$/.test(text) &&
    /[0-9]/.test(text) &&
    /[A-Za-z]/.test(text)
  );
}

/**
 * What a literal string looks like if it looks like a secret (`a Slack webhook URL`), else undefined.
 * The description never contains the string, so it can go into an error message.
 */
export function describeSecretLiteral(text: string): string | undefined {
  for (const [pattern, description] of KNOWN_WEBHOOKS) if (pattern.test(text)) return description;
  if (SLACK_TOKEN.test(text)) return 'a Slack token';
  for (const url of text.match(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi) ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(url)) return 'a URL with a password';
    if (TOKEN_QUERY.test(url)) return 'a URL with a token in its query';
    const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
    if (path.split('/').some((segment) => looksLikeToken(segment, 20)))
      return 'a URL with a token in its path';
  }
  const trimmed = text.trim();
  if (/^[a-f0-9]{32}$/i.test(trimmed) || (looksLikeToken(trimmed, 32) && !trimmed.includes('/'))) {
    return 'a key or token (e.g. a PagerDuty routing key)';
  }
  return undefined;
}
