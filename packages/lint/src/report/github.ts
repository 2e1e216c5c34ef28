import type { LintReport } from '../lint.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, one per finding. */
export function formatGitHub(result: LintReport): string {
  return result.findings
    .map((finding) => {
      const properties = [
        ...(finding.source
          ? [
              `file=${escapeProperty(finding.source.file)}`,
              `line=${finding.source.line}`,
              `col=${finding.source.column}`,
            ]
          : []),
        `title=${escapeProperty(finding.id)}`,
      ];
      const message = finding.hint ? `${finding.message}\n${finding.hint}` : finding.message;
      return `::${LEVEL[finding.severity]} ${properties.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
