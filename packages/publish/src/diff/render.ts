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
  // A multi-line value is shown as its line diff: "changed", or nothing more when it is new.
  const value = change.lines ? (change.before === undefined ? '' : ' changed') : beforeAfter(change);
  return `${change.subject}${label ? ` ${label}` : ''}${value}`;
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

function itemSummary(item: ItemDiff): string {
  const id = item.id !== item.title ? ` (${code(item.id)})` : '';
  const where = item.location ? ` in ${code(item.location)}` : '';
  const n = item.changes.length;
  return `${MARK[item.status]} <b>${escapeMd(item.title)}</b>${id}${where} — ${item.status}${n > 0 ? `, ${n} change${n === 1 ? '' : 's'}` : ''}`;
}

function markdownItem(item: ItemDiff): string {
  if (item.changes.length === 0) return `- ${itemSummary(item)}\n`;
  return `${[
    '<details>',
    `<summary>${itemSummary(item)}</summary>`,
    '',
    ...item.changes.flatMap(markdownChange),
    '',
    '</details>',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')}\n\n`;
}

/** GitHub rejects a pull-request comment longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Longest result in characters (default: GitHub's comment limit); 0 for no limit. */
  readonly maxChars?: number;
  /** Where the full report is (e.g. the CI run's artifacts), named when the comment is cut. */
  readonly fullReport?: string;
}

type Shown = 'details' | 'summary' | 'omitted';

/** Characters kept free for the note on a shortened comment and the section headings. */
const NOTE_ROOM = 1_000;

/**
 * Markdown for a pull-request comment: the summary table first, then one folded block per item.
 * When that exceeds `maxChars`, items from the end keep only their summary line, then are left out,
 * and a note under the table says how many and where the full report is.
 */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const head = ['## o11y diff', ''];
  if (isEmpty(report))
    return `${head.join('\n')}No changes to dashboards, rules, SLOs, Alertmanager or Grafana alerting.\n`;
  head.push('| Area | Added | Removed | Changed |', '|---|---:|---:|---:|');
  const sections = report.sections.filter((s) => s.items.length > 0);
  for (const section of sections) {
    const c = counts(section);
    head.push(`| ${section.name} | ${c.added} | ${c.removed} | ${c.changed} |`);
  }
  const cardinality = cardinalityLine(report);
  if (cardinality) head.push('', `**${cardinality}**`);
  const items = sections.flatMap((section) => section.items.map((item) => ({ section, item })));
  const details = items.map(({ item }) => markdownItem(item));
  const summaries = items.map(({ item }) => `- ${itemSummary(item)}\n`);
  const assemble = (shown: readonly Shown[]) => {
    const folded = shown.filter((s) => s === 'summary').length;
    const omitted = shown.filter((s) => s === 'omitted').length;
    const lines = [...head];
    if (folded + omitted > 0) {
      const where = options.fullReport ?? 'the output of `o11y diff --format markdown --max-chars 0`';
      lines.push(
        '',
        `> **Shortened to fit a pull-request comment:** ${folded} item(s) without their details, ${omitted} item(s) left out. The full report: ${where}`,
      );
    }
    let body = '';
    let section: SectionDiff | undefined;
    items.forEach(({ section: s }, i) => {
      if (shown[i] === 'omitted') return;
      if (s !== section) {
        if (section !== undefined) body += '\n';
        body += `### ${s.name}\n\n`;
        section = s;
      }
      body += shown[i] === 'details' ? details[i] : summaries[i];
    });
    return `${lines.join('\n')}\n\n${body}`.trimEnd().concat('\n');
  };
  const shown: Shown[] = items.map(() => 'details');
  const limit = options.maxChars ?? COMMENT_LIMIT;
  let text = assemble(shown);
  if (limit <= 0 || text.length <= limit) return text;
  // Give up details, then whole items, from the end; the table and the note always stay. Sizes are
  // counted per item (room kept for the note and headings), then checked on the assembled text.
  const size = (i: number) =>
    shown[i] === 'details' ? details[i]!.length : shown[i] === 'summary' ? summaries[i]!.length : 0;
  let excess = text.length - limit + NOTE_ROOM;
  for (const fallback of ['summary', 'omitted'] as const) {
    for (let i = items.length - 1; i >= 0 && excess > 0; i--) {
      const was = size(i);
      shown[i] = fallback;
      excess -= was - size(i);
    }
  }
  text = assemble(shown);
  for (let i = items.length - 1; i >= 0 && text.length > limit; i--) {
    if (shown[i] === 'omitted') continue;
    shown[i] = 'omitted';
    text = assemble(shown);
  }
  return text;
}

export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
