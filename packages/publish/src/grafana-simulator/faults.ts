import { seededRandom } from '@o11y/core';
/**
 * Fault injection for the Grafana API simulator. Decisions come from a seeded generator so a failing
 * run can be replayed; with concurrent clients the order of requests still varies a little, which is
 * exactly what a publisher has to survive.
 */
export interface FaultOptions {
  /** Seed of the pseudo-random generator (any 32-bit integer). */
  readonly seed?: number;
  /** Share of requests answered 500/502/503/504 before they reach the store. */
  readonly serverErrorRate?: number;
  /** Share of write requests applied to the store whose response is then lost (answered 502/504). */
  readonly lostResponseRate?: number;
  /** Share of requests answered 429 Too Many Requests. */
  readonly rateLimitRate?: number;
  /** Value of the Retry-After header sent with each 429, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Share of requests delayed by a random time in [slowMinMs, slowMaxMs]. */
  readonly slowRate?: number;
  readonly slowMinMs?: number;
  readonly slowMaxMs?: number;
}

export type FaultDecision =
  | { readonly kind: 'none'; readonly delayMs: number }
  | { readonly kind: 'server-error'; readonly status: number; readonly delayMs: number }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number; readonly delayMs: number }
  | { readonly kind: 'lost-response'; readonly status: number; readonly delayMs: number };

const SERVER_ERRORS = [500, 502, 503, 504] as const;
const LOST_RESPONSE_ERRORS = [502, 504] as const;

export class FaultInjector {
  private random: () => number;
  private options: FaultOptions;
  private scripted: number[] = [];

  constructor(options: FaultOptions = {}) {
    this.options = options;
    this.random = seededRandom(options.seed ?? 1);
  }

  configure(options: FaultOptions): void {
    this.options = options;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Answer the next `count` requests with `status` (e.g. 503, 429), whatever the rates say. */
  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.scripted.push(status);
  }

  decide(isWrite: boolean): FaultDecision {
    const o = this.options;
    const delayMs = this.pick(o.slowRate) ? this.between(o.slowMinMs ?? 20, o.slowMaxMs ?? 200) : 0;
    const scripted = this.scripted.shift();
    if (scripted === 429) return { kind: 'rate-limit', retryAfterSeconds: o.retryAfterSeconds ?? 1, delayMs };
    if (scripted !== undefined) return { kind: 'server-error', status: scripted, delayMs };
    if (this.pick(o.rateLimitRate)) {
      return { kind: 'rate-limit', retryAfterSeconds: o.retryAfterSeconds ?? 1, delayMs };
    }
    if (this.pick(o.serverErrorRate))
      return { kind: 'server-error', status: this.oneOf(SERVER_ERRORS), delayMs };
    if (isWrite && this.pick(o.lostResponseRate)) {
      return { kind: 'lost-response', status: this.oneOf(LOST_RESPONSE_ERRORS), delayMs };
    }
    return { kind: 'none', delayMs };
  }

  private pick(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  private between(min: number, max: number): number {
    return Math.round(min + this.random() * (max - min));
  }

  private oneOf<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)]!;
  }
}
