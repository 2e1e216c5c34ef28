import { DATASOURCES } from '@o11y/dashboards';
import { isClassicDashboard, isV2Dashboard } from '@o11y/lint';
import { isMap, isScalar, type ParsedNode, parseAllDocuments, parseDocument, type YAMLMap } from 'yaml';
import { isRecord, type Json } from '../json.ts';
import { migrateDashboard } from './migrate.ts';
import { classicFromV2, V2Unsupported } from './v2.ts';

/** A classic Grafana dashboard found in an input file, migrated to the panel model the builders write. */
export interface DashboardInput {
  /** The input file, relative to the organisation root. */
  readonly file: string;
  /** Where in the file: `data.node.json` of a ConfigMap, `spec` of a resource; empty for the file itself. */
  readonly at: string;
  /** The dashboard JSON the import reproduces (exports' `__inputs` resolved, old graph panels migrated). */
  readonly json: Json;
  /** The folder the API envelope's meta names (title and uid) or the resource's annotation (uid). */
  readonly folder?: FolderInput;
  readonly normalisations: readonly string[];
  readonly lost: readonly string[];
}

export interface FolderInput {
  readonly title?: string;
  readonly uid?: string;
}

const nonEmpty = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** A folder from its title and uid, either possibly missing; none for the root (General, uid ""). */
function folderInput(title: unknown, uid: unknown): FolderInput | undefined {
  const folder = {
    ...(nonEmpty(title) && { title: nonEmpty(title) }),
    ...(nonEmpty(uid) && { uid: nonEmpty(uid) }),
  };
  if (folder.uid === undefined && (folder.title === undefined || folder.title === 'General'))
    return undefined;
  return folder;
}

/** What a shared export's datasource inputs become: the variables the builders add. */
const INPUT_VARIABLES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(DATASOURCES).map((d) => [d.type, d.variable]),
);

const join = (at: string, part: string) => (at ? `${at}.${part}` : part);

function asYamlMap(node: ParsedNode | null): YAMLMap | undefined {
  return isMap(node) ? (node as YAMLMap) : undefined;
}

/** `${DS_PROMETHEUS}` of an export for sharing → the dashboard's datasource variable, everywhere. */
function resolveInputs(json: Json, normalisations: string[], lost: string[]): Json {
  const inputs = Array.isArray(json.__inputs) ? json.__inputs.filter(isRecord) : [];
  let text = JSON.stringify(json);
  for (const input of inputs) {
    if (input.type !== 'datasource' || typeof input.name !== 'string') continue;
    const variable = INPUT_VARIABLES[String(input.pluginId)];
    if (!variable) {
      lost.push(
        `input ${input.name} (${String(input.pluginId)}) has no variable in o11y: its references stay \${${input.name}}`,
      );
      continue;
    }
    text = text.replaceAll(`\${${input.name}}`, `\${${variable}}`);
    normalisations.push(`export input \${${input.name}} → the dashboard's \${${variable}} variable`);
  }
  const { __inputs, __requires, __elements, ...rest } = JSON.parse(text) as Json;
  if (__inputs !== undefined || __requires !== undefined || __elements !== undefined)
    normalisations.push('export metadata (__inputs, __requires, __elements) dropped');
  return rest;
}

function dashboardFrom(
  file: string,
  at: string,
  root: Json,
  folder?: FolderInput,
  read: { normalisations: string[]; lost: string[] } = { normalisations: [], lost: [] },
): DashboardInput {
  const { normalisations, lost } = read;
  const json = migrateDashboard(resolveInputs(root, normalisations, lost), normalisations, lost);
  return { file, at, json, normalisations, lost, ...(folder !== undefined && { folder }) };
}

/**
 * The classic dashboards of one input file: the JSON model, the API envelope `{dashboard, meta}`, a
 * `dashboard.grafana.app` v1 resource (its `spec`), a ConfigMap whose data values are any of those, a
 * `List` of them, and v2 resources converted to the classic model. Whether a map is a dashboard is
 * lint's detection (`isClassicDashboard`). v2 resources the classic model cannot hold are returned as
 * `v2` with the reason, for the caller to refuse.
 */
export function loadDashboardInputs(
  file: string,
  text: string,
): { dashboards: DashboardInput[]; v2: string[] } {
  const dashboards: DashboardInput[] = [];
  const v2: string[] = [];
  const visit = (node: ParsedNode | null, at: string) => {
    const map = asYamlMap(node);
    if (!map) return;
    const value = map.toJSON() as Json;
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      const items = map.get('items', true) as { items?: ParsedNode[] } | undefined;
      for (const [index, item] of (items?.items ?? []).entries()) visit(item, join(at, `items[${index}]`));
      return;
    }
    if (kind === 'ConfigMap') {
      const data = asYamlMap((map.get('data', true) as ParsedNode | undefined) ?? null);
      for (const pair of data?.items ?? []) {
        if (!isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
        const key = String((pair.key as { value?: unknown }).value);
        const embedded = parseDocument(pair.value.value);
        if (embedded.errors.length === 0) visit(embedded.contents, join(at, `data.${key}`));
      }
      return;
    }
    const spec = asYamlMap((map.get('spec', true) as ParsedNode | undefined) ?? null);
    if (
      typeof value.apiVersion === 'string' &&
      value.apiVersion.startsWith('dashboard.grafana.app/') &&
      spec
    ) {
      const metadata = isRecord(value.metadata) ? value.metadata : {};
      const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
      const folder = folderInput(undefined, annotations['grafana.app/folder']);
      if (isV2Dashboard(spec)) {
        const lost: string[] = [];
        let json: Json;
        try {
          json = classicFromV2(
            spec.toJSON() as Json,
            typeof metadata.name === 'string' ? metadata.name : undefined,
            lost,
          );
        } catch (error) {
          if (!(error instanceof V2Unsupported)) throw error;
          v2.push(`${file}${at ? ` ${at}` : ''} (${value.apiVersion}): ${error.message}`);
          return;
        }
        const normalisations = [
          `${value.apiVersion} resource converted to the classic model (elements placed by their layout, queries, variables and annotations in their classic fields); --verify compares that classic equivalent`,
        ];
        dashboards.push(
          dashboardFrom(file, join(at, 'spec'), json, folder, {
            normalisations,
            lost,
          }),
        );
        return;
      }
      const json = spec.toJSON() as Json;
      if (json.uid === undefined && typeof metadata.name === 'string') json.uid = metadata.name;
      dashboards.push(dashboardFrom(file, join(at, 'spec'), json, folder));
      return;
    }
    const envelope = asYamlMap((map.get('dashboard', true) as ParsedNode | undefined) ?? null);
    if (isClassicDashboard(envelope)) {
      const meta = isRecord(value.meta) ? value.meta : {};
      // The API's GET names the folder in meta; exports and save requests beside the dashboard.
      const folder = folderInput(value.folder ?? meta.folderTitle, meta.folderUid ?? value.folderUid);
      dashboards.push(dashboardFrom(file, join(at, 'dashboard'), envelope!.toJSON() as Json, folder));
      return;
    }
    if (isClassicDashboard(map)) dashboards.push(dashboardFrom(file, at, value));
  };
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length === 0) visit(document.contents, '');
  }
  return { dashboards, v2 };
}
