import type { MetricDeclaration } from '@o11y/catalog';
import type { SeriesBinding } from './declare.ts';

/** How each kind of catalogue entry selects its series: `x`, `x.bucket`, `x.sum`, … */
const ACCESSORS: Readonly<Record<string, readonly string[]>> = {
  histogram: ['bucket', 'sum', 'count'],
  summary: ['', 'sum', 'count'],
};

function declarationOf(value: unknown): MetricDeclaration | undefined {
  if (typeof value !== 'object' || value === null || !('declaration' in value)) return undefined;
  return (value as { declaration: MetricDeclaration }).declaration;
}

/**
 * The series an organisation's catalogue module already declares (every export that is a catalogue
 * entry), so imported expressions select them instead of declaring them again.
 */
export function existingSeries(
  exports: Readonly<Record<string, unknown>>,
  from: string,
): Map<string, SeriesBinding> {
  const bindings = new Map<string, SeriesBinding>();
  for (const [ident, value] of Object.entries(exports)) {
    const declaration = declarationOf(value);
    if (!declaration) continue;
    const accessors = ACCESSORS[declaration.type] ?? [''];
    declaration.series.forEach((series, index) => {
      const accessor = accessors[index] ?? '';
      const target = accessor === '' ? value : (value as Record<string, unknown>)[accessor];
      bindings.set(series.name, {
        code: accessor === '' ? ident : `${ident}.${accessor}`,
        ident,
        from,
        value: target,
      });
    });
  }
  return bindings;
}
