import type { Diagnostic, RunningServer, TestCaseResult } from '@o11y/core';
import { toYaml } from '../render.ts';
import { startAlertmanager } from './alertmanager-process.ts';
import type { InhibitionCase } from './cases.ts';
import { matchRoutes, type RoutingConfig } from './routing-tree.ts';
import { startWebhookSink, type WebhookSink } from './webhook-sink.ts';

/** Labels added to every posted alert, so cases cannot inhibit each other and alerts can be told apart. */
const CASE_LABEL = 'o11y_test_case';
const ROLE_LABEL = 'o11y_test_role';
const TEST_GROUP_WAIT = '1s';
const TEST_GROUP_INTERVAL = '10m';

type Json = Record<string, unknown>;

/**
 * The config under test, made runnable here: every receiver notifies the local sink by webhook,
 * group_wait is short, time intervals are dropped (routing tests ignore time, as amtool does), and
 * each inhibit rule also requires the same test case, so concurrent cases stay independent.
 */
export function inhibitionTestConfig(document: Json, sinkUrl: string): Json {
  const retime = (route: Json, isRoot: boolean): Json => {
    const { mute_time_intervals: _m, active_time_intervals: _a, routes, ...rest } = route;
    return {
      ...rest,
      ...(isRoot || rest.group_wait !== undefined ? { group_wait: TEST_GROUP_WAIT } : {}),
      ...(isRoot || rest.group_interval !== undefined ? { group_interval: TEST_GROUP_INTERVAL } : {}),
      ...(Array.isArray(routes) && { routes: (routes as Json[]).map((child) => retime(child, false)) }),
    };
  };
  const global = document.global as Json | undefined;
  return {
    ...(global?.resolve_timeout !== undefined && { global: { resolve_timeout: global.resolve_timeout } }),
    route: retime(document.route as Json, true),
    receivers: ((document.receivers ?? []) as Json[]).map((receiver) => {
      const notifies = Object.keys(receiver).some((key) => key.endsWith('_configs'));
      const name = String(receiver.name);
      return notifies
        ? { name, webhook_configs: [{ url: `${sinkUrl}/${encodeURIComponent(name)}`, send_resolved: false }] }
        : { name };
    }),
    inhibit_rules: ((document.inhibit_rules ?? []) as Json[]).map((rule) => ({
      ...rule,
      equal: [...((rule.equal ?? []) as string[]), CASE_LABEL],
    })),
  };
}

interface PostedAlert {
  readonly caseIndex: number;
  readonly role: 'firing' | 'target';
  readonly labels: Record<string, string>;
}

interface ApiAlert {
  labels: Record<string, string>;
  receivers: Array<{ name: string }>;
  status: { state: string; inhibitedBy: string[] };
}

const keyOf = (labels: Readonly<Record<string, string>>) => `${labels[CASE_LABEL]}/${labels[ROLE_LABEL]}`;

async function inhibitionSuppressions(am: RunningServer): Promise<number> {
  const text = await (await fetch(`${am.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('alertmanager_notifications_suppressed_total{reason="inhibition"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

interface Observation {
  readonly api: Map<string, ApiAlert>;
  readonly settled: boolean;
}

/**
 * Waits until Alertmanager has taken every alert, each alert it does not inhibit reached the sink for
 * each of its receivers, and every group holding an inhibited alert has flushed (counted by
 * alertmanager_notifications_suppressed_total), so an absent notification really is absent.
 */
async function observe(
  am: RunningServer,
  sink: WebhookSink,
  config: RoutingConfig,
  posted: readonly PostedAlert[],
  timeoutMs: number,
): Promise<Observation> {
  const deadline = Date.now() + timeoutMs;
  let api = new Map<string, ApiAlert>();
  while (Date.now() < deadline) {
    const response = await fetch(
      `${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`,
    );
    api = new Map(((await response.json()) as ApiAlert[]).map((alert) => [keyOf(alert.labels), alert]));
    const all = posted.every((alert) => api.has(keyOf(alert.labels)));
    let expectedSuppressions = 0;
    let delivered = true;
    for (const alert of posted) {
      const status = api.get(keyOf(alert.labels));
      if (status && status.status.inhibitedBy.length > 0) {
        expectedSuppressions += matchRoutes(config.root, alert.labels).length;
      } else {
        delivered &&= receiversNotified(sink, alert.labels, config).missing.length === 0;
      }
    }
    if (all && delivered && (await inhibitionSuppressions(am)) >= expectedSuppressions)
      return { api, settled: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { api, settled: false };
}

/** Which receivers (that notify anyone) got the alert, and which of those it routes to did not. */
function receiversNotified(
  sink: WebhookSink,
  labels: Readonly<Record<string, string>>,
  config: RoutingConfig,
) {
  const key = keyOf(labels);
  const got = new Set(
    sink.notifications.filter((n) => n.alerts.some((a) => keyOf(a.labels) === key)).map((n) => n.receiver),
  );
  const expected = [...new Set(matchRoutes(config.root, labels).map((r) => r.receiver))].filter((r) =>
    config.notifies.get(r),
  );
  return { got: [...got].sort(), missing: expected.filter((r) => !got.has(r)) };
}

function judge(
  test: InhibitionCase,
  target: PostedAlert,
  observation: Observation,
  sink: WebhookSink,
  config: RoutingConfig,
  am: RunningServer,
): TestCaseResult {
  const name = `inhibition: ${test.name}`;
  const status = observation.api.get(keyOf(target.labels));
  const inhibited = (status?.status.inhibitedBy.length ?? 0) > 0;
  const { got, missing } = receiversNotified(sink, target.labels, config);
  const problems: string[] = [];
  if (!status) problems.push('Alertmanager never listed the target alert');
  else if (inhibited !== test.inhibited) {
    problems.push(`the target is ${inhibited ? '' : 'not '}inhibited (state ${status.status.state})`);
  }
  if (test.inhibited && got.length > 0) problems.push(`the target was notified to ${got.join(', ')}`);
  if (!test.inhibited && missing.length > 0) problems.push(`the target never reached ${missing.join(', ')}`);
  if (problems.length === 0) return { name, passed: true };
  // Its log only helps when Alertmanager did not get through the alerts in time.
  const log = observation.settled
    ? ''
    : `\nAlertmanager did not settle in time; its last log lines:\n${am.logTail(15)}`;
  const failure: Diagnostic = {
    severity: 'error',
    message: `${test.inhibited ? 'expected inhibited' : 'expected not inhibited'}: ${problems.join('; ')}${log}`,
    source: test.source,
    id: 'alertmanager/inhibition',
  };
  return { name, passed: false, failure };
}

/** Posts every case's two alerts to a real Alertmanager and checks inhibited status and notifications. */
export async function runInhibitionCases(
  alertmanager: string,
  config: RoutingConfig,
  cases: readonly InhibitionCase[],
  timeoutMs: number,
): Promise<TestCaseResult[]> {
  if (cases.length === 0) return [];
  const sink = await startWebhookSink();
  let am: RunningServer | undefined;
  try {
    const document = inhibitionTestConfig(config.document, sink.url);
    am = await startAlertmanager(alertmanager, toYaml(document));
    const posted: PostedAlert[] = cases.flatMap((test, caseIndex) =>
      (['firing', 'target'] as const).map((role) => ({
        caseIndex,
        role,
        labels: { ...test[role], [CASE_LABEL]: String(caseIndex), [ROLE_LABEL]: role },
      })),
    );
    const response = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        posted.map((alert) => ({ labels: alert.labels, startsAt: new Date().toISOString() })),
      ),
    });
    if (!response.ok)
      throw new Error(`posting alerts failed: HTTP ${response.status} ${await response.text()}`);
    const observation = await observe(am, sink, config, posted, timeoutMs);
    const running = am;
    return cases.map((test, index) =>
      judge(
        test,
        posted.find((p) => p.caseIndex === index && p.role === 'target')!,
        observation,
        sink,
        config,
        running,
      ),
    );
  } catch (error) {
    const log = am ? `\nAlertmanager log:\n${am.logTail()}` : '';
    return cases.map((test) => ({
      name: `inhibition: ${test.name}`,
      passed: false,
      failure: {
        severity: 'error',
        message: `${(error as Error).message}${log}`,
        source: test.source,
        id: 'alertmanager/inhibition',
      },
    }));
  } finally {
    await am?.stop();
    await sink.close();
  }
}
