import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeSecretLiteral, literalAlternatives, type Matcher } from '@o11y/alertmanager';
import { compareCodePoints, formatDuration, O11yError, parseDuration } from '@o11y/core';
import { LineCounter, parseDocument } from 'yaml';
import { isRecord, type Json } from '../json.ts';
import { camelCase, fileStem, NameAllocator } from '../names.ts';
import type { LostItem, Normalisation, PassthroughItem, SecretItem } from '../report.ts';
import { specifier } from '../rules/generate.ts';
import type { PlannedFile } from '../write.ts';
import { matchersOf } from './matchers.ts';
import {
  camelOf,
  DURATION,
  GLOBAL,
  IDENTIFIER,
  Importer,
  INTEGRATIONS,
  literal,
  optionsOf,
  SMTP,
  type YamlPath,
} from './options.ts';

/** What an imported alertmanager.yml becomes, and what `--verify` compares the built config with. */
export interface AlertmanagerImport {
  readonly files: readonly PlannedFile[];
  readonly passthrough: readonly PassthroughItem[];
  readonly normalisations: readonly Normalisation[];
  readonly lost: readonly LostItem[];
  readonly secrets: readonly SecretItem[];
  /** The input with the listed normalisations applied (secrets as `*_file`, templates moved, …). */
  readonly expected: Json;
}

/** An Alertmanager configuration: a routing tree and the receivers it routes to. */
export function isAlertmanagerConfig(documents: readonly unknown[]): boolean {
  const [first] = documents;
  return documents.length === 1 && isRecord(first) && isRecord(first.route) && Array.isArray(first.receivers);
}

const TEMPLATE_FILE = /^[A-Za-z0-9_.-]+\.tmpl$/;
const ROUTE_FIELDS = new Set([
  'receiver',
  'matchers',
  'match',
  'match_re',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'continue',
  'mute_time_intervals',
  'active_time_intervals',
  'routes',
]);
/** The root route only sets where unrouted alerts go and the defaults its children inherit. */
const ROOT_FIELDS = new Set([
  'receiver',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'routes',
]);
const MODULE_NAMES = ['alertmanager', 'config', 'readFileSync', 'receiver', 'secret', 'timeInterval'];

function durationCode(importer: Importer, value: unknown, path: YamlPath, where: string): string {
  const text = String(value);
  if (DURATION.test(text)) return JSON.stringify(text);
  let canonical: string;
  try {
    canonical = formatDuration(parseDuration(text));
  } catch {
    return importer.fail(path, `${where}: "${text}" is not a duration`, 'write it like 30s, 5m or 4h');
  }
  importer.normalisations.push({ input: importer.file, what: `${where}: ${text} written as ${canonical}` });
  return JSON.stringify(canonical);
}

/** `.where(…)` calls for matchers, recording the labels and values they use. */
function matcherCalls(importer: Importer, matchers: readonly Matcher[]): string[] {
  return matchers.map(({ name, operator, value }) => {
    const literals = operator.endsWith('~') ? literalAlternatives(value) : [value];
    const list = literals && (operator.endsWith('~') ? literals.length > 1 : true);
    importer.label(name, list ? literals! : []);
    const args = (values: string) => `(${JSON.stringify(name)}, ${values})`;
    if (operator === '=') return `.where${args(JSON.stringify(value))}`;
    if (operator === '!=') return `.whereNot${args(JSON.stringify(value))}`;
    if (list) return `.${operator === '=~' ? 'where' : 'whereNot'}${args(JSON.stringify(literals))}`;
    return `.${operator === '=~' ? 'whereMatches' : 'whereNotMatches'}${args(JSON.stringify(value))}`;
  });
}

function readMatchers(importer: Importer, node: Json, path: YamlPath, where: string, prefix = ''): Matcher[] {
  const read = matchersOf(node, prefix);
  if ('unreadable' in read) {
    importer.fail(
      path,
      `${where}: cannot read matcher ${JSON.stringify(read.unreadable)}`,
      'write it as name="value"',
    );
  }
  if (read.oldSpelling) {
    importer.normalisations.push({
      input: importer.file,
      what: `${where}: ${prefix}match/${prefix}match_re written as ${prefix}matchers`,
    });
  }
  return read.matchers;
}

interface Named {
  readonly idents: ReadonlyMap<string, string>;
  readonly used: Set<string>;
}

function names(importer: Importer, list: unknown, path: YamlPath, where: string, known: Named): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((name, i) => {
    const ident = known.idents.get(String(name));
    if (!ident) {
      importer.fail(
        [...path, i],
        `${where}: no ${name} is defined`,
        'define it in the input, or drop the reference',
      );
    }
    known.used.add(String(name));
    return ident;
  });
}

function routeCalls(
  importer: Importer,
  route: Json,
  path: YamlPath,
  receivers: Named,
  intervals: Named,
  isRoot: boolean,
): string[] {
  const where = path.join('.').replace(/\.(\d+)/g, '[$1]');
  const calls: string[] = [];
  for (const field of Object.keys(route)) {
    if (!(isRoot ? ROOT_FIELDS : ROUTE_FIELDS).has(field)) {
      importer.lost.push({
        input: importer.at([...path, field]),
        what: `${where}.${field}: not a field the builders model on this route`,
      });
    }
  }
  if (!isRoot) calls.push(...matcherCalls(importer, readMatchers(importer, route, path, where)));
  if (route.receiver !== undefined) {
    const [ident] = names(importer, [route.receiver], [...path, 'receiver'], `${where}.receiver`, receivers);
    calls.push(isRoot ? `.defaultReceiver(${ident})` : `.to(${ident})`);
  }
  if (Array.isArray(route.group_by)) {
    const labels = route.group_by.map(String);
    for (const label of labels) if (label !== '...') importer.label(label);
    calls.push(`.groupBy(${labels.map((l) => JSON.stringify(l)).join(', ')})`);
  }
  for (const [field, method] of [
    ['group_wait', 'groupWait'],
    ['group_interval', 'groupInterval'],
    ['repeat_interval', 'repeatInterval'],
  ] as const) {
    if (route[field] !== undefined) {
      calls.push(
        `.${method}(${durationCode(importer, route[field], [...path, field], `${where}.${field}`)})`,
      );
    }
  }
  if (!isRoot) {
    if (route.continue === true) calls.push('.continue()');
    for (const [field, method] of [
      ['mute_time_intervals', 'muteDuring'],
      ['active_time_intervals', 'activeDuring'],
    ] as const) {
      const used = names(importer, route[field], [...path, field], `${where}.${field}`, intervals);
      if (used.length > 0) calls.push(`.${method}(${used.join(', ')})`);
    }
  }
  for (const [index, child] of (Array.isArray(route.routes) ? route.routes : []).entries()) {
    if (!isRecord(child))
      importer.fail(
        [...path, 'routes', index],
        `${where}.routes[${index}] is not a route`,
        'give each route as a map',
      );
    const inner = routeCalls(importer, child, [...path, 'routes', index], receivers, intervals, false);
    calls.push(`.route((r) => r${inner.join('')})`);
  }
  return calls;
}

function receiverModule(
  importer: Importer,
  value: unknown,
  index: number,
  ident: string,
): { code: string; expected: Json } {
  const path = ['receivers', index];
  if (!isRecord(value) || typeof value.name !== 'string') {
    importer.fail(path, `receivers[${index}] has no name`, 'give every receiver a name');
  }
  const name = value.name;
  const calls: string[] = [];
  const expected: Json = { name };
  const verbatim: Json = {};
  for (const [key, list] of Object.entries(value)) {
    if (key === 'name') continue;
    const where = `receiver ${name} ${key}`;
    const spec = INTEGRATIONS[key];
    const complete =
      spec !== undefined &&
      Array.isArray(list) &&
      list.every(
        (entry) =>
          isRecord(entry) &&
          (!spec.required ||
            entry[spec.required] !== undefined ||
            entry[`${spec.required}_file`] !== undefined),
      );
    if (!spec || !complete) {
      verbatim[key] = importer.verbatim(
        list,
        [...path, key],
        where,
        `${name}-${key.replace(/_configs$/, '')}`,
      );
      expected[key] = verbatim[key];
      importer.note(
        where,
        spec
          ? `kept verbatim: a config without ${spec.required}, which ${spec.method}() requires`
          : 'kept verbatim: an integration the builders do not model',
      );
      continue;
    }
    const count = (list as Json[]).length;
    expected[key] = (list as Json[]).map((entry, i) => {
      const suffix = count > 1 ? `-${i + 1}` : '';
      const converted = importer.convert(
        entry,
        spec.kinds,
        [...path, key, i],
        `receiver ${name} ${key}[${i}]`,
        `${name}-${spec.method}${suffix}`,
      );
      calls.push(`.${spec.method}(${literal(optionsOf(converted))})`);
      return converted.expected;
    });
  }
  const verbatimCall = Object.keys(verbatim).length > 0 ? `.verbatim(${literal(verbatim)})` : '';
  return {
    code: `export const ${ident} = receiver(${JSON.stringify(name)})${calls.join('')}${verbatimCall};`,
    expected,
  };
}

const lowerCaseLists = ['weekdays', 'months'];

function intervalModule(importer: Importer, value: Json, path: YamlPath, ident: string): string {
  const periods = (Array.isArray(value.time_intervals) ? value.time_intervals : []).map((period, i) => {
    const at = [...path, 'time_intervals', i];
    if (!isRecord(period))
      importer.fail(at, `time interval ${value.name}: a period must be a map`, 'fix the interval');
    const out: Json = {};
    for (const [field, v] of Object.entries(period)) {
      if (field === 'times' && Array.isArray(v)) {
        out.times = v.map((t) => ({
          start: String((t as Json).start_time),
          end: String((t as Json).end_time),
        }));
      } else if (field === 'location') out.location = String(v);
      else if (['weekdays', 'days_of_month', 'months', 'years'].includes(field) && Array.isArray(v)) {
        const strings = v.map((item) =>
          lowerCaseLists.includes(field) ? String(item).toLowerCase() : String(item),
        );
        if (strings.some((s, j) => s !== v[j] && typeof v[j] === 'string')) {
          importer.normalisations.push({
            input: importer.file,
            what: `time interval ${value.name}: ${field} written in lower case`,
          });
        }
        out[camelOf(field)] = strings;
      } else
        importer.lost.push({
          input: importer.at([...at, field]),
          what: `time interval ${value.name}: ${field} is not a period field`,
        });
    }
    return out;
  });
  return `export const ${ident} = timeInterval(${JSON.stringify(value.name)}, ${literal(periods)});`;
}

/** A glob's files (`*` and `?` in the last segment), or the one file named. */
async function templateFiles(pattern: string): Promise<string[]> {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) {
    const exists = await access(pattern).then(
      () => true,
      () => false,
    );
    return exists ? [pattern] : [];
  }
  const escaped = base.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(`^${escaped.replaceAll('*', '.*').replaceAll('?', '.')}$`);
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries
    .filter((e) => regex.test(e))
    .sort(compareCodePoints)
    .map((e) => path.join(dir, e));
}

/** The `.global({…})` call: SMTP settings grouped (when complete: the builder requires from and smarthost). */
function globalCall(importer: Importer, global: Json): { call: string; expected: Json } {
  const smtpFields = Object.fromEntries(Object.entries(global).filter(([k]) => k.startsWith('smtp_')));
  const otherFields = Object.fromEntries(Object.entries(global).filter(([k]) => !k.startsWith('smtp_')));
  const others = importer.convert(otherFields, GLOBAL, ['global'], 'global', 'global');
  const smtpComplete = ['smtp_from', 'smtp_smarthost'].every((k) => typeof smtpFields[k] === 'string');
  const smtp = importer.convert(
    smtpFields,
    smtpComplete ? SMTP : {},
    ['global'],
    'global',
    'global-smtp',
    'smtp_',
  );
  const resolveTimeout = others.options.resolveTimeout;
  if (resolveTimeout !== undefined && !DURATION.test(String(resolveTimeout))) {
    others.verbatim.resolve_timeout = resolveTimeout;
    delete others.options.resolveTimeout;
    importer.note('global.resolve_timeout', 'kept verbatim: not a duration the builder’s type spells');
  }
  const verbatim = { ...others.verbatim, ...smtp.verbatim };
  const options = {
    ...others.options,
    ...(Object.keys(smtp.options).length > 0 && { smtp: smtp.options }),
    ...(Object.keys(verbatim).length > 0 && { verbatim }),
  };
  return { call: `.global(${literal(options)})`, expected: { ...others.expected, ...smtp.expected } };
}

/**
 * `.template(…)` calls for the template files the entries name beside the input, copied next to the
 * module. None when no entry names a readable file: the entries are then kept verbatim.
 */
async function templateCalls(
  importer: Importer,
  entries: readonly string[],
  input: AlertmanagerInput,
  moduleDir: string,
): Promise<{ calls: string[]; files: PlannedFile[]; expected: string[] }> {
  const found: { name: string; text: string }[] = [];
  const missing: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const matches = await templateFiles(path.resolve(path.dirname(input.absolute), entry));
    if (matches.length === 0) missing.push(entry);
    for (const file of matches) {
      const name = path.basename(file);
      const text = await readFile(file, 'utf8');
      const looksLike = describeSecretLiteral(text);
      if (looksLike) {
        importer.fail(
          ['templates', i],
          `template ${name} holds what looks like ${looksLike}`,
          'take the secret out of the template and import again',
        );
      }
      if (!TEMPLATE_FILE.test(name) || found.some((t) => t.name === name)) missing.push(file);
      else found.push({ name, text });
    }
  }
  if (found.length === 0) return { calls: [], files: [], expected: [] };
  const listed = found.map((t) => `templates/${t.name}`);
  importer.normalisations.push({
    input: input.file,
    what: `templates: ${entries.join(', ')} copied to ${moduleDir}/templates/; the built config lists ${listed.join(', ')}`,
  });
  if (missing.length > 0) {
    importer.lost.push({
      input: importer.at(['templates']),
      what: `templates ${missing.join(', ')}: not found beside the input, or not a plain .tmpl name`,
    });
  }
  return {
    calls: found.map(
      ({ name }) =>
        `.template(${JSON.stringify(name)}, readFileSync(new URL(${JSON.stringify(`./templates/${name}`)}, import.meta.url), 'utf8'))`,
    ),
    files: found.map(({ name, text }) => ({
      path: path.posix.join(moduleDir, 'templates', name),
      content: text,
    })),
    expected: listed,
  };
}

/** `.inhibit(…)` calls; a rule without a name is named after what it does (a normalisation). */
function inhibitCalls(importer: Importer, rules: readonly unknown[]): { calls: string[]; expected: Json[] } {
  const ruleNames = new NameAllocator();
  const calls: string[] = [];
  const expected = rules.map((rule, i) => {
    const at = ['inhibit_rules', i];
    const where = `inhibit_rules[${i}]`;
    if (!isRecord(rule)) importer.fail(at, `${where} is not a map`, 'give each inhibit rule as a map');
    const source = readMatchers(importer, rule, at, where, 'source_');
    const target = readMatchers(importer, rule, at, where, 'target_');
    if (source.length === 0 || target.length === 0) {
      importer.fail(
        at,
        `${where} has no ${source.length === 0 ? 'source' : 'target'} matchers, so it matches every alert`,
        'give both sides matchers and import again',
      );
    }
    const equal = Array.isArray(rule.equal) ? rule.equal.map(String) : [];
    for (const label of equal) importer.label(label);
    const name =
      typeof rule.name === 'string'
        ? ruleNames.take(rule.name)
        : ruleNames.take(fileStem(`${source[0]!.value}-mutes-${target[0]!.value}`), '-');
    if (rule.name === undefined) {
      importer.normalisations.push({ input: importer.file, what: `${where} named ${name}` });
    }
    const equalCall = equal.length > 0 ? `.equal(${equal.map((l) => JSON.stringify(l)).join(', ')})` : '';
    const firing = matcherCalls(importer, source).join('');
    const muted = matcherCalls(importer, target).join('');
    calls.push(
      `.inhibit(${JSON.stringify(name)}, (rule) => rule.whenFiring((m) => m${firing}).mutes((m) => m${muted})${equalCall})`,
    );
    return { ...rule, name };
  });
  return { calls, expected };
}

export interface AlertmanagerInput {
  /** Relative to the organisation root, for messages. */
  readonly file: string;
  readonly absolute: string;
  readonly text: string;
  /** The module to write: the organisation's existing config module when replacing it, else alertmanager/config.ts. */
  readonly module: string;
}

/**
 * An alertmanager.yml as one module of builder code: receivers and time intervals as exported
 * constants, the routing tree, inhibit rules and templates on one `alertmanager()` config, inline
 * secrets as `secret.file()` paths the report lists, unmodelled fields through `verbatim`.
 */
export async function importAlertmanagerConfig(input: AlertmanagerInput): Promise<AlertmanagerImport> {
  const lineCounter = new LineCounter();
  const document = parseDocument(input.text, { lineCounter, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    throw new O11yError(`${input.file}:${error.linePos?.[0]?.line ?? 1}: ${error.message.split('\n')[0]}`, {
      id: 'import/yaml',
      hint: 'fix the YAML syntax and import again',
    });
  }
  const lineOf = (at: YamlPath) => {
    for (let end = at.length; end >= 0; end--) {
      const node = document.getIn(at.slice(0, end), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 1;
  };
  const importer: Importer = new Importer(input.file, input.module, lineOf);
  const config = document.toJS() as Json;
  const { global, templates, route, receivers, inhibit_rules, time_intervals, mute_time_intervals, ...rest } =
    config;
  const idents = new NameAllocator(MODULE_NAMES);
  const body: string[] = [];
  const chain: string[] = [];
  const expected: Json = {};
  const moduleDir = path.posix.dirname(input.module);
  const files: PlannedFile[] = [];

  if (isRecord(global)) {
    const imported = globalCall(importer, global);
    chain.push(imported.call);
    expected.global = imported.expected;
  }

  if (Array.isArray(templates) && templates.length > 0) {
    const imported = await templateCalls(importer, templates.map(String), input, moduleDir);
    chain.push(...imported.calls);
    files.push(...imported.files);
    if (imported.calls.length > 0) expected.templates = imported.expected;
    else rest.templates = templates;
  }

  const receiverIdents = new Map<string, string>();
  const receiverList = Array.isArray(receivers) ? receivers : [];
  for (const [i, r] of receiverList.entries()) {
    const name = isRecord(r) ? String(r.name) : '';
    if (receiverIdents.has(name))
      importer.fail(['receivers', i], `two receivers are named ${name}`, 'rename one');
    receiverIdents.set(name, idents.take(camelCase(name)));
  }
  const receiversNamed: Named = { idents: receiverIdents, used: new Set() };
  expected.receivers = receiverList.map((r, i) => {
    const { code, expected: out } = receiverModule(
      importer,
      r,
      i,
      receiverIdents.get(String((r as Json).name))!,
    );
    body.push(code);
    return out;
  });

  const intervalList = [
    ...(Array.isArray(time_intervals)
      ? time_intervals.map((v, i) => ({ v, at: ['time_intervals', i] }))
      : []),
    ...(Array.isArray(mute_time_intervals)
      ? mute_time_intervals.map((v, i) => ({ v, at: ['mute_time_intervals', i] }))
      : []),
  ];
  if (Array.isArray(mute_time_intervals) && mute_time_intervals.length > 0) {
    importer.normalisations.push({
      input: input.file,
      what: 'mute_time_intervals (the older spelling) written as time_intervals',
    });
  }
  const intervalIdents = new Map<string, string>();
  for (const { v, at } of intervalList) {
    if (!isRecord(v) || typeof v.name !== 'string')
      importer.fail(at, 'a time interval needs a name', 'give it a name');
    intervalIdents.set(v.name, idents.take(camelCase(v.name)));
    body.push(intervalModule(importer, v, at, intervalIdents.get(v.name)!));
  }
  expected.time_intervals = intervalList.map(({ v }) => v);
  const intervalsNamed: Named = { idents: intervalIdents, used: new Set() };

  if (!isRecord(route) || route.receiver === undefined) {
    importer.fail(
      ['route'],
      'the root route has no receiver',
      'give route: a receiver for the alerts no route matches',
    );
  }
  chain.push(...routeCalls(importer, route, ['route'], receiversNamed, intervalsNamed, true));
  expected.route = route;
  for (const [name, ident] of receiverIdents)
    if (!receiversNamed.used.has(name)) chain.push(`.receiver(${ident})`);
  for (const [name, ident] of intervalIdents)
    if (!intervalsNamed.used.has(name)) chain.push(`.timeInterval(${ident})`);

  const inhibit = inhibitCalls(importer, Array.isArray(inhibit_rules) ? inhibit_rules : []);
  chain.push(...inhibit.calls);
  expected.inhibit_rules = inhibit.expected;

  const verbatim: Json = {};
  for (const [field, value] of Object.entries(rest)) {
    const [name, kept] = importer.verbatimField(field, value, [], 'config', 'config');
    verbatim[name] = kept;
    expected[name] = kept;
    importer.note(field, 'kept verbatim: the config builder has no method for it');
  }
  if (Object.keys(verbatim).length > 0) chain.push(`.verbatim(${literal(verbatim)})`);

  const labels = [...importer.labels].sort(([a], [b]) => compareCodePoints(a, b));
  const vocabulary = labels.map(([name, values]) => {
    const type =
      values.size > 0
        ? [...values]
            .sort(compareCodePoints)
            .map((v) => JSON.stringify(v))
            .join(' | ')
        : 'string';
    return `readonly ${IDENTIFIER.test(name) ? name : JSON.stringify(name)}?: ${type};`;
  });
  const usesSecrets =
    body.some((c) => c.includes('secret.file(')) || chain.some((c) => c.includes('secret.file('));
  const builders = [
    'alertmanager',
    ...(receiverIdents.size > 0 ? ['receiver'] : []),
    ...(usesSecrets ? ['secret'] : []),
    ...(intervalIdents.size > 0 ? ['timeInterval'] : []),
  ];
  const code = [
    `// Imported by o11y import from ${input.file}; secrets are read from the files the import report lists.`,
    ...(files.length > 0 ? ["import { readFileSync } from 'node:fs';"] : []),
    `import { ${builders.join(', ')} } from '@o11y/alertmanager';`,
    '',
    ...(vocabulary.length > 0
      ? [
          '/**',
          ' * The alert labels the routes and inhibit rules match and group on, with the values they match.',
          ' * Replace it with the rules’ label vocabulary (AlertLabelVocabulary of @o11y/rules) to have every',
          ' * matcher checked against the labels the alerting rules set.',
          ' */',
          `type ImportedAlertLabels = {\n${vocabulary.join('\n')}\n};`,
          '',
        ]
      : []),
    ...body.flatMap((c) => [c, '']),
    `export const config = alertmanager${vocabulary.length > 0 ? '<ImportedAlertLabels>' : ''}()${chain.join('')};`,
    '',
  ].join('\n');
  files.push({ path: input.module, content: code });
  if (importer.secrets.length > 0) {
    importer.normalisations.push({
      input: input.file,
      what: `${importer.secrets.length} inline secrets written as *_file references (see the secrets listed)`,
    });
  }
  return {
    files,
    passthrough: importer.passthrough,
    normalisations: importer.normalisations,
    lost: importer.lost,
    secrets: importer.secrets,
    expected,
  };
}

/** The TypeScript modules under alertmanager/, root-relative, with their text. */
async function alertmanagerModules(root: string): Promise<{ module: string; text: string }[]> {
  const dir = path.join(root, 'alertmanager');
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const modules = entries
    .map(String)
    .filter((e) => e.endsWith('.ts'))
    .sort(compareCodePoints);
  return Promise.all(
    modules.map(async (entry) => ({
      module: `alertmanager/${entry.split(path.sep).join('/')}`,
      text: await readFile(path.join(dir, entry), 'utf8'),
    })),
  );
}

/**
 * The import of the inputs' alertmanager.yml, if any: an organisation has one Alertmanager config, so
 * two inputs are refused, and so is replacing the organisation's config without `force`.
 */
export async function planAlertmanagerImport(
  root: string,
  inputs: readonly Omit<AlertmanagerInput, 'module'>[],
  force: boolean,
): Promise<(AlertmanagerImport & { readonly file: string; readonly module: string }) | undefined> {
  const [input, ...others] = inputs;
  if (!input) return undefined;
  if (others.length > 0) {
    throw new O11yError(`two Alertmanager configs in the inputs: ${inputs.map((i) => i.file).join(', ')}`, {
      id: 'import/alertmanager',
      hint: 'an organisation has one Alertmanager config: import the one it deploys',
    });
  }
  const modules = await alertmanagerModules(root);
  const existing = modules.find((m) => /\balertmanager\s*(?:<[^>]*>)?\s*\(\s*\)/.test(m.text))?.module;
  if (existing && !force) {
    throw new O11yError(
      `${input.file}: the organisation's Alertmanager config is already defined in ${existing}; nothing was written`,
      {
        id: 'import/alertmanager-exists',
        hint: `an organisation has one Alertmanager config: import again with --force to replace ${existing} with the imported one (modules that import from it, such as routing tests, then need updating), or move ${existing} out of alertmanager/ first`,
      },
    );
  }
  const module = existing ?? 'alertmanager/config.ts';
  const imported = await importAlertmanagerConfig({ ...input, module });
  // Modules that import the replaced one (routing tests, …) name receivers it may no longer export.
  const dependents = modules.filter(
    (m) => m.module !== module && m.text.includes(`'${specifier(module, m.module)}'`),
  );
  return {
    ...imported,
    lost: [
      ...imported.lost,
      ...dependents.map((m) => ({
        input: m.module,
        what: `imports ${module}, which the import replaced: update it to what the imported config exports`,
      })),
    ],
    file: input.file,
    module,
  };
}
