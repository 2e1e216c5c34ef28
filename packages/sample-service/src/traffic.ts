import { Agent, request } from 'node:http';
import type { Service } from '@o11y/catalog';
import type { Random } from './random.ts';
import { pathFor, routesOf } from './routes.ts';

/** Requests per second each instance receives, by how much the business depends on the service. */
export const REQUESTS_PER_SECOND: Readonly<Record<Service['tier'], number>> = {
  critical: 6,
  high: 4,
  standard: 2,
};
const TICK_MS = 200;
/** A client gives up on a request after this long (a hung instance never answers). */
const CLIENT_TIMEOUT_MS = 10_000;

export interface TrafficTarget {
  readonly service: Service;
  readonly address: string;
}

/**
 * Calls every service instance's API over real HTTP, a Poisson stream of requests spread over its
 * routes by their weights, so the instrumentation measures real requests (with real latency).
 */
export class TrafficGenerator {
  private timer: NodeJS.Timeout | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** Requests sent so far. */
  sent = 0;

  constructor(
    private readonly targets: readonly TrafficTarget[],
    private readonly random: Random,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(TICK_MS / 1000), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.agent.destroy();
  }

  /** Sends one tick's worth of requests; exposed so tests can drive traffic without timers. */
  tick(seconds: number): Promise<void>[] {
    const sent: Promise<void>[] = [];
    for (const { service, address } of this.targets) {
      const routes = routesOf(service);
      const count = this.random.poisson(REQUESTS_PER_SECOND[service.tier], seconds);
      for (let n = 0; n < count; n++) {
        const route = this.random.weighted(
          routes,
          routes.map((r) => r.weight),
        );
        sent.push(this.send(route.method, `http://${address}${pathFor(route, this.random)}`));
      }
    }
    return sent;
  }

  private send(method: string, url: string): Promise<void> {
    this.sent++;
    return new Promise((resolve) => {
      const done = () => resolve();
      const req = request(url, { method, agent: this.agent, timeout: CLIENT_TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', done);
        res.on('error', done);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', done);
      req.end();
    });
  }
}
