import { O11yError } from '@o11y/core';
import { LineCounter, parseAllDocuments } from 'yaml';

/** The shapes a set of Prometheus rule groups comes in. */
export type RuleInputShape = 'rule-file' | 'ruler-namespace' | 'prometheus-rule';

export interface InputRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where the rule is, for messages: `file:line`. */
  readonly at: string;
}

export interface InputGroup {
  readonly name: string;
  readonly interval?: string;
  readonly limit?: number;
  readonly queryOffset?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly InputRule[];
  /** Group fields of other rulers (`source_tenants`, `evaluation_delay`, …) the rule builders do not model. */
  readonly unmodelled: Readonly<Record<string, unknown>>;
  readonly at: string;
}

export interface RuleInput {
  readonly file: string;
  readonly shape: RuleInputShape;
  /** The ruler namespace or the PrometheusRule's name, when the input has one. */
  readonly name?: string;
  readonly groups: readonly InputGroup[];
}

const GROUP_FIELDS = new Set(['name', 'interval', 'limit', 'query_offset', 'labels', 'rules']);
const RULE_FIELDS = new Set(['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a parsed YAML document holds rule groups in one of the shapes this importer reads. */
export function isRuleDocument(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (value.kind === 'PrometheusRule') return true;
  return Array.isArray(value.groups);
}

function stringMap(value: unknown, what: string, at: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(`${what} must be a map of strings`, at);
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (typeof v === 'object' && v !== null) throw invalid(`${what}.${key} must be a string`, at);
      return [key, String(v)];
    }),
  );
}

function invalid(message: string, at: string): O11yError {
  return new O11yError(`${at}: ${message}`, {
    id: 'import/rule-file',
    hint: 'fix the input file (promtool check rules shows the same problem) and import again',
  });
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Reads every rule document of a YAML file: a Prometheus rule file, a Mimir/Cortex ruler namespace file
 * (`namespace:` + `groups:`), or one or more PrometheusRule resources (multi-document or a `List`).
 */
export function loadRuleInputs(file: string, text: string): RuleInput[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const inputs: RuleInput[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const error = document.errors[0];
    if (error) {
      const position = error.linePos?.[0];
      throw new O11yError(`${file}:${position?.line ?? 1}: ${error.message.split('\n')[0]}`, {
        id: 'import/yaml',
        hint: 'fix the YAML syntax and import again',
      });
    }
    const lineOf = (path: readonly (string | number)[]): number => {
      const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
    };
    const root = document.toJS() as unknown;
    const resources =
      isRecord(root) && root.kind === 'List' && Array.isArray(root.items)
        ? root.items.map((item, index) => ({ value: item as unknown, path: ['items', index] }))
        : [{ value: root, path: [] as (string | number)[] }];
    for (const { value, path } of resources) {
      if (!isRuleDocument(value)) continue;
      const resource = value as Json;
      const isResource = resource.kind === 'PrometheusRule';
      const groupsPath = isResource ? [...path, 'spec', 'groups'] : [...path, 'groups'];
      const groupsValue = isResource ? (resource.spec as Json | undefined)?.groups : resource.groups;
      const metadata = isRecord(resource.metadata) ? resource.metadata : {};
      const name = isResource ? optionalString(metadata.name) : optionalString(resource.namespace);
      if (!Array.isArray(groupsValue)) {
        throw invalid('has no "groups" list', `${file}:${lineOf(path)}`);
      }
      inputs.push({
        file,
        shape: isResource
          ? 'prometheus-rule'
          : resource.namespace !== undefined
            ? 'ruler-namespace'
            : 'rule-file',
        ...(name !== undefined && { name }),
        groups: groupsValue.map((group, index) =>
          loadGroup(group, `${file}:${lineOf([...groupsPath, index])}`, (ruleIndex) =>
            lineOf([...groupsPath, index, 'rules', ruleIndex]),
          ),
        ),
      });
    }
  }
  return inputs;
}

function loadGroup(value: unknown, at: string, ruleLine: (index: number) => number): InputGroup {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') {
    throw invalid('a rule group needs a name', at);
  }
  if (!Array.isArray(value.rules)) throw invalid(`group ${value.name} has no "rules" list`, at);
  const file = at.slice(0, at.lastIndexOf(':'));
  const unmodelled = Object.fromEntries(Object.entries(value).filter(([key]) => !GROUP_FIELDS.has(key)));
  const interval = optionalString(value.interval);
  const queryOffset = optionalString(value.query_offset);
  return {
    name: value.name,
    ...(interval !== undefined && { interval }),
    ...(value.limit !== undefined && value.limit !== null && { limit: Number(value.limit) }),
    ...(queryOffset !== undefined && { queryOffset }),
    labels: stringMap(value.labels, `group ${value.name} labels`, at),
    rules: value.rules.map((rule, index) => loadRule(rule, `${file}:${ruleLine(index)}`)),
    unmodelled,
    at,
  };
}

function loadRule(value: unknown, at: string): InputRule {
  if (!isRecord(value)) throw invalid('a rule must be a map', at);
  const alert = optionalString(value.alert);
  const record = optionalString(value.record);
  const expr = optionalString(value.expr);
  if ((alert === undefined) === (record === undefined) || expr === undefined || expr.trim() === '') {
    throw invalid('a rule needs exactly one of "alert" or "record", and an "expr"', at);
  }
  const unknown = Object.keys(value).filter((key) => !RULE_FIELDS.has(key));
  if (unknown.length > 0) {
    throw invalid(`rule ${alert ?? record} has fields Prometheus does not know: ${unknown.join(', ')}`, at);
  }
  const forDuration = optionalString(value.for);
  const keepFiringFor = optionalString(value.keep_firing_for);
  return {
    ...(alert !== undefined && { alert }),
    ...(record !== undefined && { record }),
    expr: expr.trim(),
    ...(forDuration !== undefined && { for: forDuration }),
    ...(keepFiringFor !== undefined && { keepFiringFor }),
    labels: stringMap(value.labels, `rule ${alert ?? record} labels`, at),
    annotations: stringMap(value.annotations, `rule ${alert ?? record} annotations`, at),
    at,
  };
}
