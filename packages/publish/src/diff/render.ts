import { type Colour, paint } from '@o11y/core';
import type { Change, DiffReport, ItemDiff, SectionDiff, Status } from './model.ts';
import { isEmpty } from './model.ts';

const MARK: Record<Status, string> = { added: '+', removed: '-', changed: '~' };
const COLOUR: Record<Status, Colour> = { added: 'green', removed: 'red', changed: 'yellow' };

function counts(section: SectionDiff): Record<Status, number> {
  const out: Record<Status, number> = { added: 0, removed: 0, changed: 0 };
  for (const item of section.items) out[item.status] += 1;
  return out;
}

function beforeAfter(change: Change): string {
  if (change.before === undefined && change.after === undefined) return '';
  if (change.before === undefined) return `: ${change.after}`;
  if (change.after === undefined) return `: was ${change.before}`;
  return `: ${change.before} → ${change.after}`;
}

function describe(change: Change): string {
  const labels: Record<string, string> = {
    'panel-added': 'added',
    'panel-removed': 'removed',
    'panel-moved': 'moved',
    'panel-resized': 'resized',
    'query-added': 'added',
    'query-removed': 'removed',
    'variable-added': 'added',
    'variable-removed': 'removed',
    renamed: 'renamed',
    'receiver-changed': 'changed (values not shown: receivers hold secrets)',
    moved: 'moved',
  };
  const label = labels[change.kind];
  return `${change.subject}${label ? ` ${label}` : ''}${change.lines ? ' changed' : beforeAfter(change)}`;
}

const cardinalityLine = (report: DiffReport) => {
  const c = report.cardinality;
  if (!c) return undefined;
  const delta = c.after - c.before;
  return `Estimated series: ${c.before} → ${c.after} (${delta > 0 ? '+' : ''}${delta})`;
};

/** Terminal text: one line per changed item, indented changes, +/- query lines. */
export function renderText(report: DiffReport, colour = false): string {
  if (isEmpty(report)) return 'No changes.\n';
  const lines: string[] = [];
  for (const section of report.sections) {
    if (section.items.length === 0) continue;
    const c = counts(section);
    lines.push(
      paint(`${section.name}: ${c.added} added, ${c.removed} removed, ${c.changed} changed`, 'bold', colour),
    );
    for (const item of section.items) {
      const where = item.location && item.title !== item.location ? ` [${item.location}]` : '';
      const id = item.id !== item.title ? ` (${item.id})` : '';
      lines.push(paint(`  ${MARK[item.status]} ${item.title}${id}${where}`, COLOUR[item.status], colour));
      for (const change of item.changes) {
        lines.push(`      ${describe(change)}`);
        for (const line of change.lines ?? []) {
          const text = `        ${line.op} ${line.text}`;
          lines.push(
            line.op === '+'
              ? paint(text, 'green', colour)
              : line.op === '-'
                ? paint(text, 'red', colour)
                : paint(text, 'dim', colour),
          );
        }
      }
    }
  }
  const cardinality = cardinalityLine(report);
  if (cardinality) lines.push(cardinality);
  return `${lines.join('\n')}\n`;
}

const escapeMd = (text: string) => text.replace(/[|<>`*_[\]]/g, (c) => `\\${c}`);
const code = (text: string) =>
  `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`;

function markdownChange(change: Change): string[] {
  const out = [`- ${escapeMd(describe(change))}`];
  if (change.lines && change.lines.length > 0) {
    out.push('', '  ```diff', ...change.lines.map((l) => `  ${l.op}${l.text}`), '  ```', '');
  }
  return out;
}

function markdownItem(item: ItemDiff): string[] {
  const summary = `${MARK[item.status]} <b>${escapeMd(item.title)}</b>${item.id !== item.title ? ` (${code(item.id)})` : ''}${item.location ? ` in ${code(item.location)}` : ''} — ${item.status}${item.changes.length > 0 ? `, ${item.changes.length} change${item.changes.length === 1 ? '' : 's'}` : ''}`;
  if (item.changes.length === 0) return [`- ${summary}`];
  return [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    ...item.changes.flatMap(markdownChange),
    '',
    '</details>',
    '',
  ];
}

/** Markdown for a pull-request comment: a summary table first, then one collapsible block per item. */
export function renderMarkdown(report: DiffReport): string {
  const lines = ['## o11y diff', ''];
  if (isEmpty(report)) return `${lines.join('\n')}No changes to dashboards, rules, SLOs or Alertmanager.\n`;
  lines.push('| Area | Added | Removed | Changed |', '|---|---:|---:|---:|');
  for (const section of report.sections) {
    if (section.items.length === 0) continue;
    const c = counts(section);
    lines.push(`| ${section.name} | ${c.added} | ${c.removed} | ${c.changed} |`);
  }
  const cardinality = cardinalityLine(report);
  if (cardinality) lines.push('', `**${cardinality}**`);
  for (const section of report.sections) {
    if (section.items.length === 0) continue;
    lines.push('', `### ${section.name}`, '', ...section.items.flatMap(markdownItem));
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
