import { sha256, stableStringify } from '@o11y/core';

/**
 * How o11y marks what it owns in Grafana and notices edits made there.
 *
 * - /apis: the Kubernetes-style annotations Grafana defines for tools that manage resources:
 *   `grafana.app/managedBy: kubectl` (the closest manager kind Grafana accepts) with
 *   `grafana.app/managerId: o11y`, `grafana.app/managerAllowsEdits: "true"` (people may still edit;
 *   o11y notices it), `grafana.app/sourcePath` (the dist/ file) and `grafana.app/sourceChecksum`.
 * - classic /api: annotations do not exist there, so two tags carry the same facts: `o11y-managed`
 *   and `o11y:<checksum>`. Tags survive a save from the UI.
 *
 * The checksum is over the dashboard content without the fields Grafana rewrites (id, uid, version)
 * and without the marker tags. A dashboard whose content no longer matches its own checksum was
 * changed by someone else since o11y wrote it: that is drift.
 */
export const OWNER_TAG = 'o11y-managed';
const CHECKSUM_TAG_PREFIX = 'o11y:';
const CHECKSUM_LENGTH = 32;

export const ANNOTATIONS = {
  managedBy: 'grafana.app/managedBy',
  managerId: 'grafana.app/managerId',
  allowsEdits: 'grafana.app/managerAllowsEdits',
  sourcePath: 'grafana.app/sourcePath',
  checksum: 'grafana.app/sourceChecksum',
  folder: 'grafana.app/folder',
  message: 'grafana.app/message',
  updatedBy: 'grafana.app/updatedBy',
  updatedTimestamp: 'grafana.app/updatedTimestamp',
} as const;
export const MANAGER_KIND = 'kubectl';
export const MANAGER_ID = 'o11y';

export interface OwnershipMarker {
  readonly owned: boolean;
  readonly checksum: string | undefined;
}

function isMarkerTag(tag: unknown): boolean {
  return tag === OWNER_TAG || (typeof tag === 'string' && tag.startsWith(CHECKSUM_TAG_PREFIX));
}

/** Checksum of dashboard content as o11y compares it. */
export function contentChecksum(dashboard: Record<string, unknown>): string {
  const { id: _id, uid: _uid, version: _version, ...rest } = dashboard;
  const tags = Array.isArray(rest.tags) ? rest.tags.filter((t) => !isMarkerTag(t)) : undefined;
  const content = tags === undefined ? rest : { ...rest, tags };
  return sha256(stableStringify(content)).slice(0, CHECKSUM_LENGTH);
}

/** The dashboard with o11y's tags added (classic API). */
export function withMarkerTags(
  dashboard: Record<string, unknown>,
  checksum: string,
): Record<string, unknown> {
  const tags = Array.isArray(dashboard.tags) ? dashboard.tags.filter((t) => !isMarkerTag(t)) : [];
  return { ...dashboard, tags: [...tags, OWNER_TAG, `${CHECKSUM_TAG_PREFIX}${checksum}`] };
}

export function markerFromTags(dashboard: Record<string, unknown>): OwnershipMarker {
  const tags = Array.isArray(dashboard.tags) ? dashboard.tags : [];
  const checksumTag = tags.find(
    (t): t is string => typeof t === 'string' && t.startsWith(CHECKSUM_TAG_PREFIX),
  );
  return { owned: tags.includes(OWNER_TAG), checksum: checksumTag?.slice(CHECKSUM_TAG_PREFIX.length) };
}

export function markerFromAnnotations(annotations: Record<string, string>): OwnershipMarker {
  const owned = annotations[ANNOTATIONS.managerId] === MANAGER_ID;
  return { owned, checksum: owned ? annotations[ANNOTATIONS.checksum] : undefined };
}

export function ownerAnnotations(checksum: string, sourcePath: string): Record<string, string> {
  return {
    [ANNOTATIONS.managedBy]: MANAGER_KIND,
    [ANNOTATIONS.managerId]: MANAGER_ID,
    [ANNOTATIONS.allowsEdits]: 'true',
    [ANNOTATIONS.sourcePath]: sourcePath,
    [ANNOTATIONS.checksum]: checksum,
  };
}
