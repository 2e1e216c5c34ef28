import { O11yError } from '@o11y/core';
import type { FaultOptions } from './faults.ts';
import { GrafanaSimulator } from './simulator.ts';

/** `--faults` names and the FaultOptions field each one sets. */
const FAULTS: Readonly<Record<string, keyof FaultOptions>> = {
  'server-error': 'serverErrorRate',
  'lost-response': 'lostResponseRate',
  'rate-limit': 'rateLimitRate',
  'retry-after': 'retryAfterSeconds',
  slow: 'slowRate',
  'slow-min-ms': 'slowMinMs',
  'slow-max-ms': 'slowMaxMs',
  seed: 'seed',
};
const RATES = new Set<keyof FaultOptions>([
  'serverErrorRate',
  'lostResponseRate',
  'rateLimitRate',
  'slowRate',
]);

/** `rate-limit=0.1,retry-after=30,server-error=0.05` → FaultOptions; a wrong entry says what is allowed. */
export function parseFaults(text: string): FaultOptions {
  const options: Record<string, number> = {};
  for (const entry of text.split(',').filter((e) => e.trim() !== '')) {
    const [name = '', value = ''] = entry.split('=').map((p) => p.trim());
    const field = FAULTS[name];
    const number = Number(value);
    if (
      !field ||
      value === '' ||
      !Number.isFinite(number) ||
      number < 0 ||
      (RATES.has(field) && number > 1)
    ) {
      throw new O11yError(`--faults: "${entry}" is not a fault setting`, {
        id: 'simulate/faults',
        hint: `use name=value pairs separated by commas; names: ${Object.keys(FAULTS).join(', ')} (rates between 0 and 1)`,
      });
    }
    options[field] = number;
  }
  return options as FaultOptions;
}

export interface SimulatorLaunch {
  readonly port?: number;
  readonly version?: 11 | 12 | 13;
  readonly faults?: FaultOptions;
  /** The bearer token the simulator accepts, acting as an Admin service account. */
  readonly token: string;
}

/**
 * Starts the Grafana API simulator for a person trying `o11y publish grafana` without a Grafana:
 * on 127.0.0.1 (a free port unless one is given), one Admin service-account token.
 */
export async function launchGrafanaSimulator(launch: SimulatorLaunch): Promise<GrafanaSimulator> {
  const simulator = new GrafanaSimulator({
    grafanaVersion: launch.version ?? 12,
    tokens: { [launch.token]: { login: 'sa-o11y', role: 'Admin' } },
    ...(launch.faults && { faults: launch.faults }),
  });
  await simulator.start(launch.port ?? 0);
  return simulator;
}
