/**
 * Which targets a fault applies to: a whole job, or one of its instances (by `host:port`), in every
 * environment or only in one (the value of the catalogue's environment dimension).
 */
export interface FaultTarget {
  readonly job: string;
  readonly instance?: string;
  readonly environment?: string;
}

/** What goes wrong. Every field is optional; several faults on one target combine. */
export interface FaultSpec {
  /** Share (0–1) of requests answered with a server error. */
  readonly errorRatio?: number;
  /** Seconds added to every request's latency. */
  readonly addedLatencySeconds?: number;
  /** The target accepts connections but answers nothing, `/metrics` included, like a hung process. */
  readonly unresponsive?: boolean;
  /** Metric names the target stops exposing, as after a bad deploy or a renamed metric. */
  readonly hiddenMetrics?: readonly string[];
}

export interface Fault extends FaultSpec {
  readonly id: number;
  readonly target: FaultTarget;
}

/** The combined effect of every fault on one target. */
export interface FaultEffect {
  readonly errorRatio: number;
  readonly addedLatencySeconds: number;
  readonly unresponsive: boolean;
  readonly hiddenMetrics: ReadonlySet<string>;
}

export const NO_FAULT: FaultEffect = Object.freeze({
  errorRatio: 0,
  addedLatencySeconds: 0,
  unresponsive: false,
  hiddenMetrics: new Set<string>(),
});

export class FaultValidationError extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new FaultValidationError(message);
}

/** Reads a fault from untrusted JSON, naming the field that is wrong. */
export function parseFault(body: unknown): { target: FaultTarget } & FaultSpec {
  check(typeof body === 'object' && body !== null, 'the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const target = input.target as Record<string, unknown> | undefined;
  check(typeof target?.job === 'string' && target.job !== '', 'target.job must name a scrape job');
  check(
    target?.instance === undefined || typeof target.instance === 'string',
    'target.instance must be host:port',
  );
  check(
    target?.environment === undefined ||
      (typeof target.environment === 'string' && target.environment !== ''),
    'target.environment must name an environment',
  );
  const { errorRatio, addedLatencySeconds, unresponsive, hiddenMetrics } = input;
  check(
    errorRatio === undefined || (typeof errorRatio === 'number' && errorRatio >= 0 && errorRatio <= 1),
    'errorRatio must be a number from 0 to 1',
  );
  check(
    addedLatencySeconds === undefined ||
      (typeof addedLatencySeconds === 'number' && addedLatencySeconds >= 0),
    'addedLatencySeconds must be a non-negative number',
  );
  check(
    unresponsive === undefined || typeof unresponsive === 'boolean',
    'unresponsive must be true or false',
  );
  check(
    hiddenMetrics === undefined ||
      (Array.isArray(hiddenMetrics) && hiddenMetrics.every((m) => typeof m === 'string')),
    'hiddenMetrics must be a list of metric names',
  );
  return {
    target: {
      job: target!.job as string,
      ...(typeof target!.instance === 'string' && { instance: target!.instance }),
      ...(typeof target!.environment === 'string' && { environment: target!.environment }),
    },
    ...(errorRatio !== undefined && { errorRatio: errorRatio as number }),
    ...(addedLatencySeconds !== undefined && { addedLatencySeconds: addedLatencySeconds as number }),
    ...(unresponsive !== undefined && { unresponsive: unresponsive as boolean }),
    ...(hiddenMetrics !== undefined && { hiddenMetrics: hiddenMetrics as string[] }),
  };
}

/** The faults currently injected; targets read their effect on every request and scrape. */
export class Faults {
  private readonly active = new Map<number, Fault>();
  private nextId = 1;

  add(fault: { target: FaultTarget } & FaultSpec): Fault {
    const stored: Fault = Object.freeze({ ...fault, id: this.nextId++ });
    this.active.set(stored.id, stored);
    return stored;
  }

  remove(id: number): boolean {
    return this.active.delete(id);
  }

  clear(): void {
    this.active.clear();
  }

  list(): Fault[] {
    return [...this.active.values()];
  }

  /** The effect on the target at `instance` of `job`, running in `environment` (service instances) or none. */
  effectOn(job: string, instance: string, environment?: string): FaultEffect {
    const applying = this.list().filter(
      (f) =>
        f.target.job === job &&
        (f.target.instance === undefined || f.target.instance === instance) &&
        (f.target.environment === undefined || f.target.environment === environment),
    );
    if (applying.length === 0) return NO_FAULT;
    // Independent error sources: a request succeeds only if every fault lets it through.
    const success = applying.reduce((p, f) => p * (1 - (f.errorRatio ?? 0)), 1);
    return {
      errorRatio: 1 - success,
      addedLatencySeconds: applying.reduce((sum, f) => sum + (f.addedLatencySeconds ?? 0), 0),
      unresponsive: applying.some((f) => f.unresponsive === true),
      hiddenMetrics: new Set(applying.flatMap((f) => f.hiddenMetrics ?? [])),
    };
  }
}
