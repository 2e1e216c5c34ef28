import { formatSource, paint, type Severity } from '@o11y/core';
import type { LintFinding, LintReport } from '../lint.ts';

const COLOURS = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

/** The line of the expression holding the span, with a caret under the span's part of that line. */
export function caretLines(text: string, span: { start: number; end: number }): string[] {
  const start = span.start === 0 ? 0 : text.lastIndexOf('\n', span.start - 1) + 1;
  const newline = text.indexOf('\n', span.start);
  const lineEnd = newline === -1 ? text.length : newline;
  const line = text.slice(start, lineEnd);
  const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
  return [line, `${' '.repeat(span.start - start)}${'^'.repeat(width)}`];
}

export function summarise(result: LintReport): string {
  const count = (severity: Severity) => result.findings.filter((f) => f.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  if (count('info') > 0) parts.push(plural(count('info'), 'info'));
  const suppressed = result.suppressed > 0 ? ` (${result.suppressed} suppressed)` : '';
  return `${parts.join(', ')}${suppressed}`;
}

function formatFinding(finding: LintFinding, colour: boolean): string {
  const severity = paint(finding.severity, COLOURS[finding.severity], colour);
  const lines = [
    `${formatSource(finding.source)}  ${severity}  ${finding.message}  ${paint(`(${finding.id})`, 'dim', colour)}`,
    `    in ${finding.subject}`,
  ];
  if (finding.expression) {
    const [line, caret] = caretLines(finding.expression.text, finding.expression.span);
    lines.push(`    | ${line}`, `    | ${paint(caret!, COLOURS[finding.severity], colour)}`);
  }
  if (finding.hint) lines.push(`    hint: ${finding.hint}`);
  return lines.join('\n');
}

/** `file:line:col  severity  message  (id)`, the subject, the expression with a caret, the hint. */
export function formatHuman(result: LintReport, colour = false): string {
  // One join: a report of ten thousand findings is megabytes, and each copy of it adds to the peak.
  const parts = result.findings.map((f) => `${formatFinding(f, colour)}\n`);
  parts.push(`${summarise(result)}\n`);
  return parts.join('\n');
}
