import { stableStringify } from '@o11y/core';
import type { Check } from '../check.ts';
import type { LintReport } from '../lint.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per check (its doc as the full description, a link
 * to docs/checks/), one result per finding at its source line, relative to the repository root.
 */
export function formatSARIF(result: LintReport, checks: readonly Check[]): string {
  const ids = [...new Set([...checks.map((c) => c.id), ...result.findings.map((f) => f.id)])];
  const byId = new Map(checks.map((c) => [c.id, c]));
  const rules = ids.map((id) => {
    const check = byId.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: check?.doc.split(/(?<=\.)\s/)[0]?.replaceAll('\n', ' ') ?? id },
      ...(check && {
        fullDescription: { text: check.doc.replaceAll('\n', ' ') },
        helpUri: `docs/checks/${id}.md`,
        defaultConfiguration: { level: LEVEL[check.severity] },
      }),
    };
  });
  const results = result.findings.map((finding) => ({
    ruleId: finding.id,
    ruleIndex: ids.indexOf(finding.id),
    level: LEVEL[finding.severity],
    message: { text: finding.hint ? `${finding.message}. ${finding.hint}` : finding.message },
    ...(finding.source && {
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: finding.source.file, uriBaseId: '%SRCROOT%' },
            region: { startLine: finding.source.line, startColumn: Math.max(1, finding.source.column) },
          },
        },
      ],
    }),
  }));
  return stableStringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'o11y lint', rules } }, results }],
  });
}
