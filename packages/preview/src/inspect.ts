/// <reference lib="dom" />
/**
 * What a person would see on a rendered preview page, measured in real pixels of the browser: used by
 * the preview's own tests and by the end-to-end suite that draws the organisation's dashboards.
 */
import type { Page } from 'playwright-core';

/** Pixels of a panel's canvases whose colour is saturated (series, threshold lines), not grey chrome. */
export function colouredPixels(page: Page, panelKey: string): Promise<number> {
  return page.evaluate((key) => {
    let count = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(`[data-panel="${key}"] canvas`)) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        if (data[i + 3]! > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
      }
    }
    return count;
  }, panelKey);
}

/** The longest horizontal run of pixels close to a colour in a panel's canvas: a threshold line. */
export function longestRun(
  page: Page,
  panelKey: string,
  rgb: readonly [number, number, number],
): Promise<number> {
  return page.evaluate(
    ({ key, colour }) => {
      let best = 0;
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>(`[data-panel="${key}"] canvas`)) {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0) continue;
        const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let y = 0; y < height; y++) {
          let run = 0;
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            const close =
              data[i + 3]! > 100 &&
              Math.abs(data[i]! - colour[0]) < 40 &&
              Math.abs(data[i + 1]! - colour[1]) < 40 &&
              Math.abs(data[i + 2]! - colour[2]) < 40;
            run = close ? run + 1 : 0;
            best = Math.max(best, run);
          }
        }
      }
      return best;
    },
    { key: panelKey, colour: rgb },
  );
}
