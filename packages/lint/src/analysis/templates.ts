import { compareCodePoints } from '@o11y/core';

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
/** Each way to read a label, and a word it cannot be written without (most actions have none of them). */
const LABEL_REFERENCES = [
  { word: '$labels.', pattern: /\$labels\.([a-zA-Z_]\w*)/g },
  { word: '.Labels.', pattern: /\.Labels\.([a-zA-Z_]\w*)/g },
  { word: 'index', pattern: /index\s+\$labels\s+"([^"]+)"/g },
];

/** The labels a Go template in an alert's labels or annotations reads (`$labels.x`, `.Labels.x`, `index $labels "x"`). */
export function templateLabels(text: string): string[] {
  if (!text.includes('{{')) return [];
  const found = new Set<string>();
  for (const action of text.matchAll(ACTION)) {
    for (const { word, pattern } of LABEL_REFERENCES) {
      if (!action[1]!.includes(word)) continue;
      for (const match of action[1]!.matchAll(pattern)) found.add(match[1]!);
    }
  }
  return [...found].sort(compareCodePoints);
}

/** The labels each template of a record reads, as [label, key] pairs in order: asked by several checks per rule. */
const readByRecord = new WeakMap<object, readonly (readonly [string, string])[]>();

function recordLabels(record: Readonly<Record<string, string>>): readonly (readonly [string, string])[] {
  let read = readByRecord.get(record);
  if (!read) {
    read = Object.entries(record).flatMap(([key, value]) =>
      templateLabels(value).map((label) => [label, key] as const),
    );
    readByRecord.set(record, read);
  }
  return read;
}

/** Every label the templates of a rule's labels and annotations read, with where each is read. */
export function referencedLabels(templates: Readonly<Record<string, string>>[]): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const record of templates) {
    for (const [label, key] of recordLabels(record)) {
      const keys = where.get(label);
      if (keys) keys.push(key);
      else where.set(label, [key]);
    }
  }
  return where;
}

const VALUE_REFERENCE = /\$value\b|(?:^|[^\w$.])\.Value\b/;

/** Whether a Go template in an alert's labels or annotations reads the expression's value (`$value`, `.Value`). */
export function readsValue(text: string): boolean {
  for (const action of text.matchAll(ACTION)) if (VALUE_REFERENCE.test(action[1]!)) return true;
  return false;
}
