import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadDashboardInputs } from '../src/dashboards/load.ts';
import type { Json } from '../src/json.ts';
import { FIXTURES } from './scratch.ts';

const legacy = async () => {
  const file = 'queue-legacy.json';
  const text = await readFile(path.join(FIXTURES, 'dashboards', file), 'utf8');
  const [input] = loadDashboardInputs(file, text).dashboards;
  const panels = (input!.json.panels as Json[]).flatMap((p) => [p, ...((p.panels as Json[]) ?? [])]);
  return { input: input!, panel: (title: string) => panels.find((p) => p.title === title)! };
};

const STAT_OPTIONS = (calc: string, graphMode: string, colorMode: string) => ({
  reduceOptions: { calcs: [calc] },
  orientation: 'horizontal',
  graphMode,
  colorMode,
});

const STEPS = (colors: string[], values: number[]) => ({
  mode: 'absolute',
  steps: colors.map((color, i) => ({ color, value: i === 0 ? null : values[i - 1] })),
});

test('a singlestat becomes a stat: calcs from valueName, unit from format, thresholds from colors, colour mode', async () => {
  const { panel } = await legacy();
  const oldest = panel('Oldest message');
  expect(oldest.type).toBe('stat');
  expect(oldest.options).toEqual(STAT_OPTIONS('lastNotNull', 'none', 'value'));
  expect(oldest.fieldConfig).toEqual({
    defaults: {
      unit: 's',
      thresholds: STEPS(['#299c46', 'rgba(237, 129, 40, 0.89)', '#d44a3a'], [60, 300]),
    },
    overrides: [],
  });
  for (const old of ['format', 'valueName', 'colorValue', 'thresholds', 'colors'])
    expect(oldest).not.toHaveProperty(old);
});

test('with the gauge shown it becomes a gauge: min, max, threshold markers, value maps coloured by the thresholds', async () => {
  const { panel } = await legacy();
  const busy = panel('Busy workers');
  expect(busy.type).toBe('gauge');
  expect(busy.options).toEqual({
    reduceOptions: { calcs: ['mean'] },
    orientation: 'horizontal',
    showThresholdMarkers: true,
    showThresholdLabels: false,
  });
  expect(busy.fieldConfig).toEqual({
    defaults: {
      unit: 'percent',
      decimals: 1,
      thresholds: STEPS(['green', 'orange', 'red'], [70, 90]),
      mappings: [
        { type: 'value', options: { '0': { text: 'idle' } } },
        // A text that reads as a number takes the colour of its threshold step.
        { type: 'value', options: { '100': { text: '100', color: 'red' } } },
      ],
      min: 0,
      max: 100,
    },
    overrides: [],
  });
});

test('a sparkline is the area graph mode in its line colour; a postfix alone is a custom unit; range maps', async () => {
  const { panel, input } = await legacy();
  const failed = panel('Failed jobs');
  expect(failed.type).toBe('stat');
  expect(failed.options).toEqual(STAT_OPTIONS('sum', 'area', 'none'));
  expect(failed.fieldConfig).toEqual({
    defaults: {
      unit: 'suffix: jobs',
      noValue: 'no data',
      mappings: [
        { type: 'special', options: { match: 'null', result: { text: 'none' } } },
        { type: 'range', options: { from: 1, to: 10, result: { text: 'a few' } } },
      ],
      color: { mode: 'fixed', fixedColor: 'rgb(31, 120, 193)' },
    },
    overrides: [],
  });
  expect(input.normalisations).toContain(
    'panel "Failed jobs": singlestat migrated to stat as Grafana migrates it (postfix as the unit suffix: jobs)',
  );
  expect(input.normalisations).toContain(
    'panel "Busy workers": singlestat migrated to gauge as Grafana migrates it',
  );
  expect(input.lost).toContain('panel "Failed jobs": sparkline full height has no stat option');
});
