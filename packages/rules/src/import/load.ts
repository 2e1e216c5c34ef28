import { readFileSync } from 'node:fs';
import path from 'node:path';
import { captureSource, O11yError, projectRootOf } from '@o11y/core';

/** Reads a spec file named relative to the calling module's project; errors name it relative to the root. */
export function readSpec(file: string): { text: string; file: string } {
  const root = projectRootOf(process.cwd());
  const absolute = path.resolve(root, file);
  try {
    return {
      text: readFileSync(absolute, 'utf8'),
      file: path.relative(root, absolute).split(path.sep).join('/'),
    };
  } catch (error) {
    throw new O11yError(`cannot read ${file}: ${(error as Error).message}`, {
      source: captureSource(),
      id: 'import/read',
      hint: 'give the path relative to the project root',
    });
  }
}

const WINDOW = /\{\{\s*\.window\s*\}\}/g;

/** Whether a query is a template with Sloth's `{{.window}}` placeholder. */
export function hasWindow(query: string): boolean {
  return query.match(WINDOW) !== null;
}

/** Fills Sloth's `{{.window}}` placeholder of a query template with a window (`5m`, `30d`). */
export function fillWindow(query: string, window: string): string {
  return query.replace(WINDOW, window);
}
