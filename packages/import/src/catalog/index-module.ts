import { compareCodePoints } from '@o11y/core';
import ts from 'typescript';
import { camelCase } from '../names.ts';

export const IMPORTED_INDEX = 'catalog/imported/index.ts';
const IMPORTED_ENTRIES = 'importedEntries';

/** `catalog/imported/index.ts`: re-exports every imported catalogue module and lists their entries. */
export function importedIndex(stems: readonly string[]): string {
  const sorted = [...new Set(stems)].sort(compareCodePoints);
  const alias = (stem: string) => `${camelCase(stem)}Metrics`;
  return `// Maintained by o11y import: every catalogue module it wrote, for catalog/index.ts.
import type { CatalogueEntry } from '@o11y/catalog';
${sorted.map((s) => `import * as ${alias(s)} from './${s}.ts';`).join('\n')}

${sorted.map((s) => `export * from './${s}.ts';`).join('\n')}

const isEntry = (value: unknown): value is CatalogueEntry =>
  typeof value === 'object' && value !== null && 'declaration' in value;

/** Every metric o11y import declared. */
export const ${IMPORTED_ENTRIES}: CatalogueEntry[] = [${sorted.map(alias).join(', ')}].flatMap((m) => Object.values(m).filter(isEntry));
`;
}

/**
 * The organisation's catalogue module with the imported entries added: an import of the index, a
 * re-export, and the first argument of its `defineCatalog(…)` call extended. Undefined when it
 * already includes them; an error message when it has no `defineCatalog` call to extend.
 */
export function withImportedEntries(
  source: string,
): { text: string } | { unchanged: true } | { problem: string } {
  if (source.includes("'./imported/index.ts'")) return { unchanged: true };
  const file = ts.createSourceFile('index.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let argument: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (
      !argument &&
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'defineCatalog'
    ) {
      argument = node.arguments[0];
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!argument)
    return { problem: 'catalog/index.ts has no defineCatalog(…) call to add the imported metrics to' };
  const start = argument.getStart(file);
  const end = argument.getEnd();
  const extended = `[...${source.slice(start, end)}, ...${IMPORTED_ENTRIES}]`;
  const lastImport = [...file.statements].filter(ts.isImportDeclaration).at(-1);
  const at = lastImport ? lastImport.getEnd() : 0;
  const head = `\nimport { ${IMPORTED_ENTRIES} } from './imported/index.ts';`;
  const body = source.slice(0, start) + extended + source.slice(end);
  return {
    text: `${body.slice(0, at)}${head}${body.slice(at)}\nexport * from './imported/index.ts';\n`,
  };
}
