/**
 * One function per panel type, each drawing with the @grafana/ui component Grafana's own panel
 * plugin uses (TimeSeries, BigValue, BarGauge, Table), fed the way that plugin feeds it. The gauge
 * is the exception: @grafana/ui no longer publishes its gauge component, so it is drawn here from
 * the same display values (colour, text, thresholds) and flagged as such.
 */
import {
  applyFieldOverrides,
  type DataFrame,
  type DisplayValueAlignmentFactors,
  type FieldConfigSource,
  type FieldDisplay,
  FieldType,
  type GrafanaTheme2,
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  type InterpolateFunction,
  renderTextPanelMarkdown,
  type ThresholdsConfig,
  type TimeRange,
  textUtil,
  VizOrientation,
} from '@grafana/data';
import {
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  LegendDisplayMode,
  Table,
  TimeSeries,
  VizRepeater,
} from '@grafana/ui';
import type { ReactNode } from 'react';
import { type PanelFieldConfig, registryFor, TIME_SERIES_CUSTOM_DEFAULTS } from './field-config.ts';

export interface PanelContext {
  readonly frames: DataFrame[];
  readonly json: Readonly<Record<string, unknown>>;
  readonly width: number;
  readonly height: number;
  readonly theme: GrafanaTheme2;
  readonly timeRange: TimeRange;
  readonly replaceVariables: InterpolateFunction;
}

type Options = Record<string, unknown>;

/** The default of Grafana's standard thresholds option, which every panel plugin gets. */
const STANDARD_DEFAULTS: Options = {
  thresholds: {
    mode: 'absolute',
    steps: [
      { value: Number.NEGATIVE_INFINITY, color: 'green' },
      { value: 80, color: 'red' },
    ],
  },
};

/** Stat, gauge, bar gauge and table colour by thresholds unless the JSON says otherwise. */
const THRESHOLD_COLOURED = { standard: { color: { mode: 'thresholds' } } };

/** Standard options a panel plugin defaults differently from @grafana/data (Grafana's plugin registrations). */
interface PluginDefaults {
  readonly standard?: Options;
  readonly custom?: Options;
}

function fieldConfigOf(json: Readonly<Record<string, unknown>>, plugin: PluginDefaults): FieldConfigSource {
  const source = (json.fieldConfig ?? {}) as PanelFieldConfig;
  const defaults = source.defaults ?? {};
  return {
    defaults: {
      ...STANDARD_DEFAULTS,
      ...plugin.standard,
      ...defaults,
      custom: { ...plugin.custom, ...(defaults.custom ?? {}) },
    },
    overrides: (source.overrides ?? []) as FieldConfigSource['overrides'],
  };
}

function withOverrides(
  context: PanelContext,
  plugin: PluginDefaults,
): { frames: DataFrame[]; config: FieldConfigSource } {
  const config = fieldConfigOf(context.json, plugin);
  const frames = applyFieldOverrides({
    data: context.frames,
    fieldConfig: config,
    fieldConfigRegistry: registryFor(config as PanelFieldConfig),
    replaceVariables: context.replaceVariables,
    theme: context.theme,
    timeZone: 'utc',
  });
  return { frames, config };
}

function optionsOf(context: PanelContext): Options {
  return (context.json.options ?? {}) as Options;
}

/**
 * Grafana's time series panel draws only finite samples: NaN (0/0) and ±Inf (x/0, a quantile in the
 * +Inf bucket) become gaps. Handed to the chart, one infinite sample makes its scale infinite and
 * none of the panel's lines are drawn.
 */
function finiteOnly(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.number
        ? { ...field, values: field.values.map((v) => (v == null || Number.isFinite(v) ? v : null)) }
        : field,
    ),
  }));
}

function TimeSeriesPanel(context: PanelContext): ReactNode {
  const { frames } = withOverrides(
    { ...context, frames: finiteOnly(context.frames) },
    {
      // The time series panel colours by series unless the JSON says otherwise.
      standard: { color: { mode: 'palette-classic' } },
      custom: TIME_SERIES_CUSTOM_DEFAULTS,
    },
  );
  const options = optionsOf(context);
  const legend = {
    displayMode: LegendDisplayMode.List,
    placement: 'bottom' as const,
    showLegend: true,
    calcs: [],
    ...((options.legend ?? {}) as Options),
  };
  return (
    <TimeSeries
      frames={frames}
      structureRev={1}
      width={context.width}
      height={context.height}
      timeRange={context.timeRange}
      timeZone="utc"
      legend={legend as never}
      options={options}
    />
  );
}

function displayValues(
  context: PanelContext,
  config: FieldConfigSource,
  frames: DataFrame[],
  sparkline: boolean,
) {
  const options = optionsOf(context);
  return getFieldDisplayValues({
    data: frames,
    fieldConfig: config,
    reduceOptions: {
      calcs: ['lastNotNull'],
      values: false,
      ...((options.reduceOptions ?? {}) as Options),
    } as never,
    replaceVariables: context.replaceVariables,
    theme: context.theme,
    timeZone: 'utc',
    sparkline,
  });
}

interface RepeatedValue {
  value: FieldDisplay;
  width: number;
  height: number;
  alignmentFactors: DisplayValueAlignmentFactors;
  count: number;
}

function repeater(
  context: PanelContext,
  values: FieldDisplay[],
  renderValue: (props: RepeatedValue) => ReactNode,
  defaultOrientation: VizOrientation,
) {
  const options = optionsOf(context);
  return (
    <VizRepeater
      source={values}
      getValues={() => values}
      renderCounter={0}
      getAlignmentFactors={getDisplayValueAlignmentFactors as never}
      renderValue={renderValue as never}
      width={context.width}
      height={context.height}
      itemSpacing={3}
      orientation={(options.orientation as VizOrientation | undefined) ?? defaultOrientation}
      minVizWidth={(options.minVizWidth as number | undefined) ?? 75}
      minVizHeight={(options.minVizHeight as number | undefined) ?? 16}
    />
  );
}

function StatPanel(context: PanelContext): ReactNode {
  const options = optionsOf(context);
  const graphMode = (options.graphMode as BigValueGraphMode | undefined) ?? BigValueGraphMode.Area;
  const { frames, config } = withOverrides(context, THRESHOLD_COLOURED);
  const values = displayValues(context, config, frames, graphMode !== BigValueGraphMode.None);
  return repeater(
    context,
    values,
    ({ value, width, height, alignmentFactors, count }) => (
      <BigValue
        value={value.display}
        sparkline={value.sparkline}
        colorMode={(options.colorMode as BigValueColorMode | undefined) ?? BigValueColorMode.Value}
        graphMode={graphMode}
        justifyMode={(options.justifyMode as BigValueJustifyMode | undefined) ?? BigValueJustifyMode.Auto}
        textMode={(options.textMode as BigValueTextMode | undefined) ?? BigValueTextMode.Auto}
        text={options.text as never}
        alignmentFactors={alignmentFactors}
        width={width}
        height={height}
        count={count}
        theme={context.theme}
      />
    ),
    VizOrientation.Auto,
  );
}

function BarGaugePanel(context: PanelContext): ReactNode {
  const options = optionsOf(context);
  const { frames, config } = withOverrides(context, THRESHOLD_COLOURED);
  const values = displayValues(context, config, frames, false);
  return repeater(
    context,
    values,
    ({ value, width, height, alignmentFactors }) => (
      <BarGauge
        value={value.display}
        field={value.field}
        width={width}
        height={height}
        orientation={(options.orientation as VizOrientation | undefined) ?? VizOrientation.Horizontal}
        displayMode={(options.displayMode as BarGaugeDisplayMode | undefined) ?? BarGaugeDisplayMode.Gradient}
        showUnfilled={(options.showUnfilled as boolean | undefined) ?? true}
        valueDisplayMode={options.valueMode as never}
        namePlacement={options.namePlacement as never}
        text={options.text as never}
        alignmentFactors={alignmentFactors}
        itemSpacing={3}
        theme={context.theme}
      />
    ),
    VizOrientation.Horizontal,
  );
}

/** A point on the gauge arc: `fraction` 0 at the left end, 1 at the right end of a 240° sweep. */
function arcPoint(cx: number, cy: number, r: number, fraction: number): [number, number] {
  const angle = ((150 + 240 * fraction) * Math.PI) / 180;
  return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
}

function arcPath(cx: number, cy: number, r: number, from: number, to: number): string {
  const [x1, y1] = arcPoint(cx, cy, r, from);
  const [x2, y2] = arcPoint(cx, cy, r, to);
  const large = (to - from) * 240 > 180 ? 1 : 0;
  return `M ${x1} ${y1} A ${r} ${r} 0 ${large} 1 ${x2} ${y2}`;
}

function GaugeSvg(props: {
  value: FieldDisplay;
  width: number;
  height: number;
  theme: GrafanaTheme2;
  showThresholdMarkers: boolean;
}) {
  const { value, width, height, theme } = props;
  const display = value.display;
  const min = value.field.min ?? 0;
  const max = value.field.max ?? 100;
  const span = max - min || 1;
  const fraction = (v: number) => Math.min(1, Math.max(0, (v - min) / span));
  const size = Math.min(width, height * 1.15);
  const cx = width / 2;
  const r = size / 2 - 12;
  const cy = height / 2 + r * 0.2;
  const thresholds = value.field.thresholds as ThresholdsConfig | undefined;
  const steps = thresholds?.steps ?? [];
  const bandWidth = Math.max(4, r * 0.08);
  const valueWidth = Math.max(8, r * 0.2);
  const numeric =
    typeof display.numeric === 'number' && Number.isFinite(display.numeric) ? display.numeric : min;
  const text = `${display.prefix ?? ''}${display.text}${display.suffix ?? ''}`;
  return (
    <svg width={width} height={height} data-gauge="o11y" role="img" aria-label={text}>
      <path
        d={arcPath(cx, cy, r - valueWidth / 2, 0, 1)}
        stroke={theme.colors.background.secondary}
        strokeWidth={valueWidth}
        fill="none"
      />
      <path
        d={arcPath(cx, cy, r - valueWidth / 2, 0, fraction(numeric))}
        stroke={display.color ?? theme.colors.primary.main}
        strokeWidth={valueWidth}
        fill="none"
      />
      {props.showThresholdMarkers
        ? steps.map((step, index) => {
            const from = index === 0 ? 0 : fraction(step.value);
            const to = index + 1 < steps.length ? fraction(steps[index + 1]!.value) : 1;
            return to > from ? (
              <path
                key={`${step.value}`}
                data-threshold={index === 0 ? 'base' : String(step.value)}
                d={arcPath(cx, cy, r + bandWidth, from, to)}
                stroke={theme.visualization.getColorByName(step.color)}
                strokeWidth={bandWidth}
                fill="none"
              />
            ) : null;
          })
        : null}
      <text
        x={cx}
        y={cy}
        textAnchor="middle"
        dominantBaseline="middle"
        fill={display.color}
        fontSize={Math.max(12, r * 0.38)}
        fontWeight={500}
      >
        {text}
      </text>
      {display.title ? (
        <text
          x={cx}
          y={cy + r * 0.55}
          textAnchor="middle"
          fill={theme.colors.text.secondary}
          fontSize={Math.max(10, r * 0.14)}
        >
          {display.title}
        </text>
      ) : null}
    </svg>
  );
}

function GaugePanel(context: PanelContext): ReactNode {
  const options = optionsOf(context);
  const { frames, config } = withOverrides(context, THRESHOLD_COLOURED);
  const values = displayValues(context, config, frames, false);
  return repeater(
    context,
    values,
    ({ value, width, height }) => (
      <GaugeSvg
        value={value}
        width={width}
        height={height}
        theme={context.theme}
        showThresholdMarkers={(options.showThresholdMarkers as boolean | undefined) ?? true}
      />
    ),
    VizOrientation.Auto,
  );
}

function TablePanel(context: PanelContext): ReactNode {
  const { frames } = withOverrides(context, THRESHOLD_COLOURED);
  const frame = frames[0];
  if (!frame) return null;
  const options = optionsOf(context);
  return (
    <Table
      data={frame}
      width={context.width}
      height={context.height}
      noHeader={options.showHeader === false}
      footerOptions={options.footer as never}
    />
  );
}

function TextPanel(context: PanelContext): ReactNode {
  const options = optionsOf(context);
  const mode = (options.mode as string | undefined) ?? 'markdown';
  const content = context.replaceVariables((options.content as string | undefined) ?? '');
  if (mode === 'code') return <pre className="o11y-text-code">{content}</pre>;
  const html = mode === 'html' ? textUtil.sanitize(content) : renderTextPanelMarkdown(content);
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by Grafana's own sanitizer, as its text panel does
    <div className="markdown-html o11y-text" dangerouslySetInnerHTML={{ __html: html }} />
  );
}

/** The panel types drawn; any other type gets a labelled placeholder. */
export const PANELS: Readonly<Record<string, (context: PanelContext) => ReactNode>> = {
  timeseries: TimeSeriesPanel,
  stat: StatPanel,
  gauge: GaugePanel,
  bargauge: BarGaugePanel,
  table: TablePanel,
  text: TextPanel,
};

/** Panel types that draw without queries. */
export const WITHOUT_DATA = new Set(['text']);
