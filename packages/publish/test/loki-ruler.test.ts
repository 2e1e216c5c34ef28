import { describe, expect, it } from 'vitest';
import { treeFromFiles } from '../src/built/tree.ts';
import { desiredNamespaces, rulerPath } from '../src/rules/ruler.ts';

/** Loki cannot run here: its ruler speaks Cortex's API (tested against a real Cortex) under its own prefix. */
describe("Loki's ruler", () => {
  it('is reached under /loki/api/v1/rules, with the namespaces of dist/loki/rules/', () => {
    expect(rulerPath('loki')).toBe('/loki/api/v1/rules');
    expect(rulerPath('loki', 'services', 'service logs')).toBe('/loki/api/v1/rules/services/service%20logs');
    const tree = treeFromFiles({
      'mimir/o11y-api.yml': 'namespace: o11y-api\ngroups:\n  - name: api\n    rules: []\n',
      'loki/rules/services.yml': 'groups:\n  - name: service-logs\n    rules: []\n',
    });
    expect([...desiredNamespaces(tree, 'loki')]).toEqual([
      ['services', [{ name: 'service-logs', rules: [] }]],
    ]);
    expect([...desiredNamespaces(tree, 'cortex').keys()]).toEqual(['o11y-api']);
  });
});
