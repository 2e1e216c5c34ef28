import { seededRandom } from '@o11y/core';

/** The distributions the simulation draws from, over a seeded source so a run can be replayed. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Log-normal with the given median: most values near it, a long right tail like real latencies. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), Number.EPSILON);
    const v = this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * normal);
  }

  /** How many events of a Poisson process with `rate` per second happen in `seconds`. */
  poisson(rate: number, seconds: number): number {
    const mean = rate * seconds;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.logNormalNoise()));
    const limit = Math.exp(-mean);
    let count = 0;
    for (let p = this.next(); p > limit; p *= this.next()) count++;
    return count;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An item chosen with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let point = this.next() * total;
    for (const [i, item] of items.entries()) {
      point -= weights[i]!;
      if (point < 0) return item;
    }
    return items.at(-1)!;
  }

  private logNormalNoise(): number {
    const u = Math.max(this.next(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}
