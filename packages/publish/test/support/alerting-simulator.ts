import { afterEach } from 'vitest';
import { GrafanaSimulator } from '../../src/grafana-simulator/index.ts';
import { HttpClient } from '../../src/http/client.ts';

/**
 * A Grafana simulator per test, stopped after it, with a service-account token: `start()` gives the
 * simulator and a client of it (`another()` makes a second one, standing for another tool or a person).
 */
export function alertingSimulator(token: string) {
  let simulator: GrafanaSimulator | undefined;
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });
  return async () => {
    const sim = new GrafanaSimulator({ tokens: { [token]: { login: 'sa-o11y-ci', role: 'Editor' } } });
    simulator = sim;
    await sim.start();
    const another = () =>
      new HttpClient({
        baseUrl: sim.url,
        headers: { authorization: `Bearer ${token}` },
        secrets: [token],
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
    return { sim, client: another(), another };
  };
}
