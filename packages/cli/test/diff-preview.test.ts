import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneWithChange, o11y } from './helpers.ts';

/**
 * Issue 18's pull-request pictures: on a real clone whose last commit changes one threshold of the
 * golden-signals dashboard, `o11y diff --preview` draws exactly the dashboards the diff reports as
 * changed, before and after, in headless Chromium, and a Markdown section that embeds the pairs.
 */
const DEFINITION = 'dashboards/overview.ts';
const BEFORE = 'thresholds: { errorRatio: API_ERROR_RATE, p95Latency: P95_LATENCY_SECONDS },';
const AFTER = 'thresholds: { errorRatio: 0.2, p95Latency: P95_LATENCY_SECONDS },';

let change: ReturnType<typeof cloneWithChange>;

beforeAll(() => {
  change = cloneWithChange(DEFINITION, BEFORE, AFTER, 'golden signals: error ratio threshold 20%');
}, 120_000);

afterAll(() => change?.remove());

describe('o11y diff --preview', () => {
  it('pictures exactly the changed dashboards, before and after, and embeds them in preview.md', () => {
    const result = o11y(['diff', '--base', 'HEAD~1', '--format', 'json', '--preview', 'previews'], {
      cwd: change.clone,
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      sections: Array<{ name: string; items: Array<{ id: string; status: string }> }>;
    };
    const changed = report.sections.find((s) => s.name === 'Dashboards')!.items.map((i) => i.id);
    expect(changed.length, 'the threshold is drawn on at least one dashboard').toBeGreaterThan(0);
    const dir = path.join(change.clone, 'previews');
    const pictures = readdirSync(dir).filter((name) => name.endsWith('.png'));
    expect(pictures.sort()).toEqual(
      changed.flatMap((uid) => [`${uid}-after.png`, `${uid}-before.png`]).sort(),
    );
    // Without --preview-prometheus-url no panel has data, so a threshold is not drawn on either side;
    // the preview's own suite draws a changed threshold with data from a real Prometheus.
    for (const name of pictures) {
      expect(readFileSync(path.join(dir, name)).subarray(1, 4).toString(), `${name} is a PNG`).toBe('PNG');
    }
    const markdown = readFileSync(path.join(dir, 'preview.md'), 'utf8');
    for (const name of pictures) expect(markdown).toContain(name);
    expect(result.stderr).toContain(`${changed.length} changed dashboards pictured in previews/preview.md`);
  }, 600_000);
});
