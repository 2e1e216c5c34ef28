const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'await',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
]);

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** `kube_pod_info` → `kubePodInfo`, `HighErrorRate` → `highErrorRate`. */
export function camelCase(text: string): string {
  const parts = words(text).map((w, i) =>
    i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase(),
  );
  let name = parts.join('') || 'imported';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return RESERVED.has(name) ? `${name}Rule` : name;
}

/** `HighErrorRate` → `HIGH_ERROR_RATE`. */
export function constantCase(text: string): string {
  const name =
    words(text)
      .map((w) => w.toUpperCase())
      .join('_') || 'IMPORTED';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A file-name stem the builders accept: lower-case letters, digits, `.`, `_`, `-`. */
export function fileStem(text: string): string {
  const stem = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return stem || 'imported';
}

/** Hands out names unique within one scope: `x`, then `x2`, `x3`, … */
export class NameAllocator {
  private readonly taken: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }

  take(wanted: string, separator = ''): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}${separator}${n}`;
    this.taken.add(name);
    return name;
  }
}

const GROUP_NAME = /^[a-zA-Z0-9][a-zA-Z0-9:._-]*$/;

/** A rule group name `ruleGroup` accepts: other characters become `-` (a normalisation the report lists). */
export function ruleGroupName(name: string): string {
  if (GROUP_NAME.test(name)) return name;
  return name.replace(/[^a-zA-Z0-9:._-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'imported';
}
