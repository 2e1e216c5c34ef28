import {
  compareCodePoints,
  type Diagnostic,
  O11yErrors,
  parseDuration,
  type SourceLocation,
  sortDeep,
} from '@o11y/core';
import { stringify } from 'yaml';
import type { AlertmanagerConfig, GlobalOptions } from './config.ts';
import { isValidLabelName, type LabelVocabulary } from './labels.ts';
import { formatMatcher, type Matcher, regexError } from './matchers.ts';
import { INTEGRATIONS, type Integration, type Receiver, type Verbatim } from './receivers.ts';
import type { Route } from './route.ts';
import {
  describeSecretLiteral,
  type EnvSecret,
  isSecret,
  missingEnvDetails,
  missingEnvMessage,
  renderSecret,
  type Secret,
  type SecretMode,
  secretKind,
} from './secrets.ts';
import { renderTimeInterval, type TimeInterval, timeIntervalProblems } from './time-intervals.ts';

/** One file of a rendered config, relative to the directory that holds alertmanager.yml. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  readonly source: SourceLocation;
}

export const CONFIG_FILE = 'alertmanager.yml';
export const TEMPLATES_DIR = 'templates';

const TEMPLATE_FILE = /^[A-Za-z0-9_.-]+\.tmpl$/;

/** The top-level fields of alertmanager.yml the builder writes. */
const DOCUMENT_FIELDS = ['global', 'templates', 'route', 'receivers', 'inhibit_rules', 'time_intervals'];
const GLOBAL_SECRETS = { slackApiUrl: 'slack_api_url', opsgenieApiKey: 'opsgenie_api_key' };
const SMTP_SECRETS = { authPassword: 'auth_password', authSecret: 'auth_secret' };

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

type AnyConfig = AlertmanagerConfig<LabelVocabulary>;
type AnyRoute = Route<LabelVocabulary>;

/** Rendering does not depend on the vocabulary, which only constrains what the builder accepts. */
function erase<V extends LabelVocabulary>(config: AlertmanagerConfig<V>): AnyConfig {
  return config as unknown as AnyConfig;
}

/** Every route of the tree, parents before children, in declaration order. */
function routesOf(route: AnyRoute): AnyRoute[] {
  return [route, ...route.children.flatMap(routesOf)];
}

/** The receivers and time intervals the config uses, each once, sorted by name. */
export function referenced<V extends LabelVocabulary>(
  typed: AlertmanagerConfig<V>,
): { receivers: Receiver[]; intervals: TimeInterval[] } {
  const config = erase(typed);
  const receivers = new Set<Receiver>(config.receivers);
  const intervals = new Set<TimeInterval>(config.timeIntervals);
  for (const route of routesOf(config.root)) {
    if (route.receiver) receivers.add(route.receiver);
    for (const interval of [...route.muteIntervals, ...route.activeIntervals]) intervals.add(interval);
  }
  const byName = (a: { name: string }, b: { name: string }) => compareCodePoints(a.name, b.name);
  return { receivers: [...receivers].sort(byName), intervals: [...intervals].sort(byName) };
}

function problem(message: string, source: SourceLocation, id: string, hint?: string): Diagnostic {
  return { severity: 'error', message, source, id, ...(hint && { hint }) };
}

const SECRET_HINT =
  "use secret.file('/path/on/the/alertmanager/host') or secret.env('VARIABLE') instead of a literal";

/** Every string inside a value, with a readable path, so literals that look like secrets can be caught. */
function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* stringsIn(item, `${path}[${i}]`);
  else if (value && typeof value === 'object' && !isSecret(value)) {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, `${path}.${key}`);
  }
}

function literalSecretProblems(value: unknown, where: string, source: SourceLocation): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const [path, text] of stringsIn(value, where)) {
    const looksLike = describeSecretLiteral(text);
    // The message names the field and the kind of secret, never the text itself.
    if (looksLike) {
      found.push(
        problem(`${path} looks like ${looksLike}`, source, 'alertmanager/secret-literal', SECRET_HINT),
      );
    }
  }
  return found;
}

/** Secret options that are not references, and literals anywhere in the options that look like secrets. */
function optionProblems(
  options: object,
  secretOptions: readonly string[],
  where: string,
  source: SourceLocation,
  allowPlainString: readonly string[] = [],
): Diagnostic[] {
  const found = literalSecretProblems(options, where, source);
  for (const option of secretOptions) {
    const value: unknown = (options as Record<string, unknown>)[option];
    if (value === undefined || isSecret(value)) continue;
    if (typeof value === 'string' && allowPlainString.includes(option)) continue;
    found.unshift(
      problem(
        `${where}.${option} must be a secret reference, not a literal`,
        source,
        'alertmanager/secret-literal',
        SECRET_HINT,
      ),
    );
  }
  return found;
}

/** Verbatim fields that the builder writes itself: the verbatim one would silently replace it, or be replaced. */
function verbatimProblems(
  verbatim: Verbatim | undefined,
  written: readonly string[],
  where: string,
  source: SourceLocation,
): Diagnostic[] {
  return Object.keys(verbatim ?? {})
    .filter((field) => written.includes(field))
    .map((field) =>
      problem(
        `${where}: verbatim field ${field} is one the builder writes`,
        source,
        'alertmanager/verbatim-modelled',
        'set it through the builder’s option instead of verbatim',
      ),
    );
}

/** The fields renderOptions writes for the options, either spelling of a secret field. */
function writtenFields(
  options: object,
  secretFields: Readonly<Record<string, string>>,
  prefix = '',
): string[] {
  return Object.keys(options)
    .filter((option) => option !== 'verbatim')
    .flatMap((option) => {
      const field = secretFields[option];
      return field ? [`${prefix}${field}`, `${prefix}${field}_file`] : [`${prefix}${snakeCase(option)}`];
    });
}

function integrationProblems(
  receiver: Receiver,
  integration: Integration,
  globals: GlobalOptions,
): Diagnostic[] {
  const spec = INTEGRATIONS[integration.type];
  const where = `receiver "${receiver.name}" ${integration.type}`;
  const found = optionProblems(integration.options, Object.keys(spec.secrets), where, integration.source, [
    'url',
  ]);
  const options = integration.options;
  found.push(
    ...verbatimProblems(
      options.verbatim as Verbatim | undefined,
      writtenFields(options, spec.secrets),
      where,
      integration.source,
    ),
  );
  const missing = (what: string, hint: string) =>
    found.push(
      problem(`${where} has no ${what}`, integration.source, 'alertmanager/receiver-incomplete', hint),
    );
  if (integration.type === 'slack' && !options.apiUrl && !options.appToken && !globals.slackApiUrl) {
    missing('webhook URL or app token', 'set apiUrl or appToken, or the global slackApiUrl');
  }
  if (integration.type === 'email' && !(options.from ?? globals.smtp?.from)) {
    missing('sender address', 'set from, or the global smtp settings');
  }
  if (integration.type === 'email' && !(options.smarthost ?? globals.smtp?.smarthost)) {
    missing('SMTP smarthost', 'set smarthost, or the global smtp settings');
  }
  if (integration.type === 'opsgenie' && !options.apiKey && !globals.opsgenieApiKey) {
    missing('API key', 'set apiKey, or the global opsgenieApiKey');
  }
  return found;
}

function matcherProblems(matchers: readonly Matcher[], where: string, source: SourceLocation): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const matcher of matchers) {
    if (!isValidLabelName(matcher.name)) {
      found.push(
        problem(`${where}: invalid label name "${matcher.name}"`, source, 'alertmanager/label-name'),
      );
    }
    const error = matcher.operator.endsWith('~') ? regexError(matcher.value) : undefined;
    if (error)
      found.push(
        problem(`${where}: invalid regex for ${matcher.name}: ${error}`, source, 'alertmanager/regex'),
      );
  }
  return found;
}

function routeProblems(route: AnyRoute, isRoot: boolean): Diagnostic[] {
  const where = isRoot ? 'root route' : 'route';
  const found = matcherProblems(route.matchers, where, route.source);
  for (const [field, value] of Object.entries(route.timing)) {
    try {
      const ms = parseDuration(value);
      if (ms === 0 && field !== 'groupWait') {
        found.push(problem(`${where}: ${field} cannot be zero`, route.source, 'alertmanager/duration'));
      }
    } catch (error) {
      found.push(
        problem(`${where}: ${field}: ${(error as Error).message}`, route.source, 'alertmanager/duration'),
      );
    }
  }
  for (const label of route.grouping ?? []) {
    if (label !== '...' && !isValidLabelName(label)) {
      found.push(
        problem(`${where}: invalid group_by label "${label}"`, route.source, 'alertmanager/label-name'),
      );
    }
  }
  if (route.grouping?.includes('...') && route.grouping.length > 1) {
    found.push(
      problem(
        `${where}: group_by '...' cannot be combined with labels`,
        route.source,
        'alertmanager/group-by',
      ),
    );
  }
  return found;
}

function duplicateNameProblems(items: ReadonlyArray<{ name: string; source: SourceLocation }>, what: string) {
  const seen = new Map<string, SourceLocation>();
  const found: Diagnostic[] = [];
  for (const item of items) {
    const first = seen.get(item.name);
    if (first) {
      found.push(
        problem(
          `two different ${what}s are named "${item.name}"`,
          item.source,
          `alertmanager/duplicate-${what}`,
          `rename one; the other is at ${first.file}:${first.line}`,
        ),
      );
    } else seen.set(item.name, item.source);
  }
  return found;
}

/** Everything Alertmanager would reject, or that would leak a secret, each pointing at its TypeScript line. */
export function validateConfig<V extends LabelVocabulary>(typed: AlertmanagerConfig<V>): Diagnostic[] {
  const config = erase(typed);
  const { receivers, intervals } = referenced(config);
  const found: Diagnostic[] = [];
  if (!config.root.receiver) {
    found.push(
      problem(
        'the config has no default receiver',
        config.source,
        'alertmanager/default-receiver',
        'call .defaultReceiver(receiver(...))',
      ),
    );
  }
  found.push(
    ...duplicateNameProblems(receivers, 'receiver'),
    ...duplicateNameProblems(intervals, 'time interval'),
  );
  for (const receiver of receivers) {
    if (!receiver.name)
      found.push(problem('a receiver has an empty name', receiver.source, 'alertmanager/receiver-name'));
    for (const integration of receiver.integrations)
      found.push(...integrationProblems(receiver, integration, config.globals));
    const where = `receiver "${receiver.name}"`;
    const written = ['name', ...receiver.integrations.map((i) => INTEGRATIONS[i.type].key)];
    found.push(
      ...literalSecretProblems(receiver.verbatimFields, where, receiver.source),
      ...verbatimProblems(receiver.verbatimFields, written, where, receiver.source),
    );
  }
  const { smtp, ...rest } = config.globals;
  found.push(...optionProblems(rest, ['slackApiUrl', 'opsgenieApiKey'], 'global', config.source));
  const writtenGlobals = [
    ...writtenFields(rest, GLOBAL_SECRETS),
    ...writtenFields(smtp ?? {}, SMTP_SECRETS, 'smtp_'),
  ];
  found.push(...verbatimProblems(rest.verbatim, writtenGlobals, 'global', config.source));
  found.push(
    ...literalSecretProblems(config.verbatimFields, 'config', config.source),
    ...verbatimProblems(config.verbatimFields, DOCUMENT_FIELDS, 'config', config.source),
  );
  if (smtp) found.push(...optionProblems(smtp, ['authPassword', 'authSecret'], 'global.smtp', config.source));
  if (config.globals.resolveTimeout) {
    try {
      parseDuration(config.globals.resolveTimeout);
    } catch (error) {
      found.push(
        problem(`global.resolveTimeout: ${(error as Error).message}`, config.source, 'alertmanager/duration'),
      );
    }
  }
  for (const route of routesOf(config.root)) found.push(...routeProblems(route, route === config.root));
  for (const interval of intervals) {
    for (const message of timeIntervalProblems(interval))
      found.push(problem(message, interval.source, 'alertmanager/time-interval'));
  }
  for (const rule of config.inhibitRules) {
    const where = `inhibit rule "${rule.name}"`;
    if (rule.sourceMatching.matchers.length === 0 || rule.targetMatching.matchers.length === 0) {
      found.push(
        problem(
          `${where} needs matchers on both sides; an empty side matches every alert`,
          rule.source,
          'alertmanager/inhibit-empty',
          'use .whenFiring(m => m.where(...)) and .mutes(m => m.where(...))',
        ),
      );
    }
    found.push(
      ...matcherProblems(rule.sourceMatching.matchers, where, rule.source),
      ...matcherProblems(rule.targetMatching.matchers, where, rule.source),
    );
  }
  found.push(
    ...duplicateNameProblems(
      config.templates.map((t) => ({ name: t.fileName, source: t.source })),
      'template',
    ),
  );
  for (const template of config.templates) {
    if (!TEMPLATE_FILE.test(template.fileName)) {
      found.push(
        problem(
          `template file name "${template.fileName}" must be a plain name ending in .tmpl`,
          template.source,
          'alertmanager/template-name',
        ),
      );
    }
    found.push(...literalSecretProblems(template.text, `template ${template.fileName}`, template.source));
  }
  return found;
}

/** Plain options in snake_case; secret options as `field_file` or, when deploying, the resolved value. */
function renderOptions(
  options: object,
  secretFields: Readonly<Record<string, string>>,
  mode: SecretMode,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(options) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (option === 'verbatim') {
      Object.assign(out, value);
      continue;
    }
    const field = secretFields[option];
    if (field && isSecret(value))
      Object.assign(out, renderSecret(value as Secret, `${prefix}${field}`, `${prefix}${field}_file`, mode));
    else out[`${prefix}${snakeCase(option)}`] = value;
  }
  return out;
}

function renderGlobal(globals: GlobalOptions, mode: SecretMode): Record<string, unknown> | undefined {
  const { smtp, ...rest } = globals;
  const out = {
    ...renderOptions(rest, GLOBAL_SECRETS, mode),
    ...(smtp && renderOptions(smtp, SMTP_SECRETS, mode, 'smtp_')),
  };
  return Object.keys(out).length > 0 ? (sortDeep(out) as Record<string, unknown>) : undefined;
}

function renderReceiver(receiver: Receiver, mode: SecretMode): Record<string, unknown> {
  const out: Record<string, unknown> = { ...receiver.verbatimFields, name: receiver.name };
  for (const integration of receiver.integrations) {
    const spec = INTEGRATIONS[integration.type];
    const rendered = sortDeep(renderOptions(integration.options, spec.secrets, mode));
    out[spec.key] = [...((out[spec.key] as unknown[] | undefined) ?? []), rendered];
  }
  return out;
}

function renderRoute(route: AnyRoute): Record<string, unknown> {
  const timing = route.timing;
  return {
    ...(route.receiver && { receiver: route.receiver.name }),
    ...(route.matchers.length > 0 && { matchers: route.matchers.map(formatMatcher) }),
    ...(route.grouping && { group_by: [...route.grouping] }),
    ...(timing.groupWait && { group_wait: timing.groupWait }),
    ...(timing.groupInterval && { group_interval: timing.groupInterval }),
    ...(timing.repeatInterval && { repeat_interval: timing.repeatInterval }),
    ...(route.muteIntervals.length > 0 && { mute_time_intervals: route.muteIntervals.map((i) => i.name) }),
    ...(route.activeIntervals.length > 0 && {
      active_time_intervals: route.activeIntervals.map((i) => i.name),
    }),
    ...(route.continues && { continue: true }),
    ...(route.children.length > 0 && { routes: route.children.map(renderRoute) }),
  };
}

/** Deterministic YAML: no anchors, no line folding. */
export function toYaml(document: unknown, header = ''): string {
  return header + stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** alertmanager.yml and the template files, or O11yErrors listing every problem. */
function renderFiles(config: AnyConfig, mode: SecretMode): RenderedFile[] {
  const problems = validateConfig(config);
  if (problems.length > 0) throw new O11yErrors(problems);
  const { receivers, intervals } = referenced(config);
  const templates = [...config.templates].sort((a, b) => compareCodePoints(a.fileName, b.fileName));
  const globals = renderGlobal(config.globals, mode);
  const document = {
    ...(globals && { global: globals }),
    ...(templates.length > 0 && { templates: templates.map((t) => `${TEMPLATES_DIR}/${t.fileName}`) }),
    route: renderRoute(config.root),
    receivers: receivers.map((r) => renderReceiver(r, mode)),
    ...(config.inhibitRules.length > 0 && {
      inhibit_rules: config.inhibitRules.map((rule) => ({
        name: rule.name,
        source_matchers: rule.sourceMatching.matchers.map(formatMatcher),
        target_matchers: rule.targetMatching.matchers.map(formatMatcher),
        ...(rule.equalLabels.length > 0 && { equal: [...rule.equalLabels] }),
      })),
    }),
    ...(intervals.length > 0 && { time_intervals: intervals.map(renderTimeInterval) }),
    ...config.verbatimFields,
  };
  return [
    {
      path: CONFIG_FILE,
      content: toYaml(
        document,
        `# Generated by o11y from ${config.source.file}; edit the TypeScript, not this file.\n`,
      ),
      source: config.source,
    },
    ...templates.map((t) => ({ path: `${TEMPLATES_DIR}/${t.fileName}`, content: t.text, source: t.source })),
  ];
}

/** The default build: secrets as `*_file` references; the environment is never read. */
export function renderConfig<V extends LabelVocabulary>(config: AlertmanagerConfig<V>): RenderedFile[] {
  return renderFiles(erase(config), { kind: 'files', secretsDirectory: config.secretsDir });
}

/**
 * A config ready to deploy: `secret.env` references replaced by the variables' values from `env`
 * (file references stay files). The result holds secrets: write it only where the deployment reads
 * it, never into dist/ or a log.
 */
export function renderDeployable<V extends LabelVocabulary>(
  typed: AlertmanagerConfig<V>,
  env: Readonly<Record<string, string | undefined>>,
): RenderedFile[] {
  const config = erase(typed);
  const missing = secretsOf(config).filter(
    (ref): ref is EnvSecret => secretKind(ref) === 'env' && !env[(ref as EnvSecret).variable],
  );
  if (missing.length > 0) {
    throw new O11yErrors(
      missing.map((ref) => ({
        severity: 'error' as const,
        message: missingEnvMessage(ref),
        ...missingEnvDetails(ref),
      })),
    );
  }
  return renderFiles(config, { kind: 'deployable', env });
}

/** Every secret reference of the config, in the global settings and the receivers it uses. */
function secretsOf(config: AnyConfig): Secret[] {
  const options = [
    config.globals,
    config.globals.smtp ?? {},
    ...referenced(config).receivers.flatMap((r) => r.integrations.map((i) => i.options)),
  ];
  return options.flatMap((o) => Object.values(o).filter(isSecret));
}
