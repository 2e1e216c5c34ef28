import { describe, expect, it } from 'vitest';
import type { PanelJson } from '../src/dashboard-json.ts';
import { layoutDashboard } from '../src/layout.ts';

const panel = (
  id: number,
  x: number,
  y: number,
  w: number,
  h: number,
  extra: Partial<PanelJson> = {},
): PanelJson => ({
  id,
  type: 'timeseries',
  title: `p${id}`,
  gridPos: { x, y, w, h },
  ...extra,
});

const positions = (panels: ReturnType<typeof layoutDashboard>) =>
  panels.map((p) => `${p.key}@${p.gridPos.x},${p.gridPos.y},${p.gridPos.w},${p.gridPos.h}`);

describe('layoutDashboard', () => {
  it('keeps grid positions and floats panels up into gaps, as Grafana’s grid does', () => {
    const laid = layoutDashboard(
      [panel(1, 0, 0, 12, 8), panel(2, 12, 3, 12, 8), panel(3, 0, 20, 24, 4)],
      () => [],
    );
    expect(positions(laid)).toEqual(['panel-1@0,0,12,8', 'panel-2@12,0,12,8', 'panel-3@0,8,24,4']);
  });

  it('expands a collapsed row in place and pushes the following rows down', () => {
    const laid = layoutDashboard(
      [
        { id: 10, type: 'row', title: 'Open', gridPos: { x: 0, y: 0, w: 24, h: 1 }, panels: [] },
        panel(1, 0, 1, 24, 6),
        {
          id: 11,
          type: 'row',
          title: 'Closed',
          collapsed: true,
          gridPos: { x: 0, y: 7, w: 24, h: 1 },
          panels: [panel(2, 0, 40, 8, 5), panel(3, 8, 40, 16, 5)],
        },
        { id: 12, type: 'row', title: 'Last', gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [] },
        panel(4, 0, 9, 24, 3),
      ],
      () => [],
    );
    expect(positions(laid)).toEqual([
      'row-10@0,0,24,1',
      'panel-1@0,1,24,6',
      'row-11@0,7,24,1',
      'panel-2@0,8,8,5',
      'panel-3@8,8,16,5',
      'row-12@0,13,24,1',
      'panel-4@0,14,24,3',
    ]);
    expect(laid.find((p) => p.key === 'row-11')?.collapsedRow).toBe(true);
  });

  it('repeats a panel horizontally per selected value, wrapping at maxPerRow, with the value scoped to each clone', () => {
    const laid = layoutDashboard(
      [panel(1, 0, 0, 24, 4, { repeat: 'instance', maxPerRow: 2 }), panel(2, 0, 4, 24, 3)],
      (name) => (name === 'instance' ? ['a', 'b', 'c'] : []),
    );
    expect(positions(laid)).toEqual([
      'panel-1:a@0,0,12,4',
      'panel-1:b@12,0,12,4',
      'panel-1:c@0,4,12,4',
      'panel-2@0,8,24,3',
    ]);
    expect(laid.map((p) => p.scoped)).toEqual([{ instance: 'a' }, { instance: 'b' }, { instance: 'c' }, {}]);
  });

  it('repeats vertically and repeats whole rows', () => {
    const vertical = layoutDashboard([panel(1, 0, 0, 6, 3, { repeat: 'x', repeatDirection: 'v' })], () => [
      '1',
      '2',
    ]);
    expect(positions(vertical)).toEqual(['panel-1:1@0,0,6,3', 'panel-1:2@0,3,6,3']);
    const rows = layoutDashboard(
      [
        { id: 5, type: 'row', title: '$env', repeat: 'env', gridPos: { x: 0, y: 0, w: 24, h: 1 } },
        panel(1, 0, 1, 24, 2),
      ],
      () => ['prod', 'dev'],
    );
    expect(positions(rows)).toEqual([
      'row-5:prod@0,0,24,1',
      'panel-1:prod@0,1,24,2',
      'row-5:dev@0,3,24,1',
      'panel-1:dev@0,4,24,2',
    ]);
    expect(rows[3]?.scoped).toEqual({ env: 'dev' });
  });
});
