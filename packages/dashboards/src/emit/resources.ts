import { ManifestBuilder, named } from '@grafana/grafana-foundation-sdk/resource';
import { stableStringify } from '@o11y/core';
import type { CompiledDashboard } from '../builder/dashboard.ts';

export const DASHBOARD_V1_API = 'dashboard.grafana.app/v1';

/**
 * The dashboard as a `dashboard.grafana.app/v1` resource for Grafana 12+'s /apis: the classic JSON as
 * spec, the uid as name, the folder as the `grafana.app/folder` annotation.
 */
export function v1Resource(compiled: CompiledDashboard): string {
  const folder = compiled.definition.folderOf;
  const metadata = named(compiled.definition.uid);
  if (folder) metadata.annotations({ 'grafana.app/folder': folder.uid });
  const { uid: _uid, ...spec } = compiled.json;
  return stableStringify(
    new ManifestBuilder()
      .apiVersion(DASHBOARD_V1_API)
      .kind('Dashboard')
      .metadata(metadata)
      .spec(spec)
      .build(),
  );
}
