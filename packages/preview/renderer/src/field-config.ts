/**
 * The field-config registry Grafana's app fills at start-up and @grafana/data leaves empty: each
 * standard property with the override processor Grafana uses for it, plus the custom properties of
 * the panel being drawn, so `applyFieldOverrides` merges defaults and overrides as Grafana does.
 */
import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigOptionsRegistry,
  type FieldConfigPropertyItem,
  identityOverrideProcessor,
  numberOverrideProcessor,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

type Processor = FieldConfigPropertyItem['process'];

const STANDARD: ReadonlyArray<readonly [id: string, process: Processor]> = [
  ['unit', unitOverrideProcessor],
  ['min', numberOverrideProcessor],
  ['max', numberOverrideProcessor],
  ['fieldMinMax', booleanOverrideProcessor],
  ['decimals', numberOverrideProcessor],
  ['displayName', displayNameOverrideProcessor],
  ['noValue', stringOverrideProcessor],
  ['color', identityOverrideProcessor],
  ['thresholds', thresholdsOverrideProcessor],
  ['mappings', valueMappingsOverrideProcessor],
  ['links', dataLinksOverrideProcessor],
  ['filterable', booleanOverrideProcessor],
  ['description', stringOverrideProcessor],
];

/**
 * The field defaults Grafana's time series panel registers for its custom options (its
 * `defaultGraphConfig`), applied where the panel JSON leaves them out.
 */
export const TIME_SERIES_CUSTOM_DEFAULTS: Readonly<Record<string, unknown>> = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  barAlignment: 0,
  barWidthFactor: 0.6,
  stacking: { mode: 'none', group: 'A' },
  showPoints: 'auto',
  pointSize: 5,
  axisPlacement: 'auto',
  axisLabel: '',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  scaleDistribution: { type: 'linear' },
  thresholdsStyle: { mode: 'off' },
  spanNulls: false,
  insertNulls: false,
  hideFrom: { legend: false, tooltip: false, viz: false },
};

function item(id: string, process: Processor, custom: boolean): FieldConfigPropertyItem {
  const path = custom ? id.slice('custom.'.length) : id;
  return {
    id,
    path,
    name: id,
    isCustom: custom,
    process,
    override: () => null,
    editor: () => null,
    shouldApply: () => true,
  } as unknown as FieldConfigPropertyItem;
}

/** Every `custom.*` property the panel's JSON names, in its defaults or overrides. */
function customIds(fieldConfig: PanelFieldConfig): string[] {
  const ids = new Set(Object.keys(fieldConfig.defaults?.custom ?? {}).map((k) => `custom.${k}`));
  for (const override of fieldConfig.overrides ?? []) {
    for (const property of override.properties ?? [])
      if (property.id.startsWith('custom.')) ids.add(property.id);
  }
  return [...ids];
}

export interface PanelFieldConfig {
  defaults?: { custom?: Record<string, unknown> } & Record<string, unknown>;
  overrides?: Array<{
    matcher: { id: string; options?: unknown };
    properties?: Array<{ id: string; value?: unknown }>;
  }>;
}

export function registryFor(fieldConfig: PanelFieldConfig): FieldConfigOptionsRegistry {
  const registry = new FieldConfigOptionsRegistry();
  for (const [id, process] of STANDARD) registry.register(item(id, process, false));
  for (const id of customIds(fieldConfig)) registry.register(item(id, identityOverrideProcessor, true));
  return registry;
}
