import { captureSource, O11yError, type SourceLocation } from '@o11y/core';
import { uidFrom } from './uid.ts';

/** A Grafana folder: a path of lowercase segments (`billing`, `ops/databases`), a title and a stable uid. */
export interface Folder {
  readonly path: string;
  readonly title: string;
  readonly uid: string;
  readonly source: SourceLocation;
}

const SEGMENT = /^[a-z0-9][a-z0-9-]*$/;

export function folder(path: string, title?: string): Folder {
  const source = captureSource();
  const segments = path.split('/');
  if (!segments.every((s) => SEGMENT.test(s))) {
    throw new O11yError(`folder path "${path}" must be lowercase segments separated by /`, {
      source,
      hint: 'e.g. folder("billing", "Billing") or folder("ops/databases")',
    });
  }
  const last = segments.at(-1)!;
  return Object.freeze({
    path,
    title: title ?? last.charAt(0).toUpperCase() + last.slice(1).replace(/-/g, ' '),
    uid: uidFrom(`folder ${path}`),
    source,
  });
}
