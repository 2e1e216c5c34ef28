import { ManifestBuilder, named } from '@grafana/grafana-foundation-sdk/resource';
import { stableStringify } from '@o11y/core';
import type { CompiledDashboard } from '../builder/dashboard.ts';
import { toV2, type V2Dashboard } from './v2.ts';

export const DASHBOARD_API = {
  v1: 'dashboard.grafana.app/v1',
  v2beta1: 'dashboard.grafana.app/v2beta1',
} as const;

/** A `Dashboard` manifest for Grafana 12+'s /apis: the uid as name, the folder as the `grafana.app/folder` annotation. */
function manifest(compiled: CompiledDashboard, apiVersion: string, spec: object): string {
  const folder = compiled.definition.folderOf;
  const metadata = named(compiled.definition.uid);
  if (folder) metadata.annotations({ 'grafana.app/folder': folder.uid });
  return stableStringify(
    new ManifestBuilder().apiVersion(apiVersion).kind('Dashboard').metadata(metadata).spec(spec).build(),
  );
}

/** The dashboard as a `dashboard.grafana.app/v1` resource: the classic JSON (without its uid) as spec. */
export function v1Resource(compiled: CompiledDashboard): string {
  const { uid: _uid, ...spec } = compiled.json;
  return manifest(compiled, DASHBOARD_API.v1, spec);
}

/** The dashboard as a `dashboard.grafana.app/v2beta1` resource, and its elements' builders for `verify`. */
export function v2beta1Resource(compiled: CompiledDashboard): { content: string; converted: V2Dashboard } {
  const converted = toV2(compiled);
  return { content: manifest(compiled, DASHBOARD_API.v2beta1, converted.spec), converted };
}
