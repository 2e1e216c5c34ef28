import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Notification, readRoutingConfig, receiversFor } from '@o11y/alertmanager';
import { seriesOfNode, walk } from '@o11y/catalog';
import { type Definition, type Diagnostic, formatDiagnostic, kindOf, parseDuration } from '@o11y/core';
import { DATASOURCE_UIDS } from '@o11y/dashboards';
import { loadRenderer } from '@o11y/preview';
import {
  type AlertingRule,
  compressDuration,
  KIND,
  type RuleGroup,
  type Slo,
  seriesPerTarget,
  TEST_PROFILE,
  timeCompression,
} from '@o11y/rules';
import { EXEMPLAR_TRACE_ID_LABEL } from '@o11y/sample-service';
import { main as o11y } from 'o11y';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stagingChannel } from '../../alertmanager/config.ts';
import { estate } from '../../catalog/estate.ts';
// The organisation's catalogue (catalog/), whose targets.ts declares `up`; @o11y/catalog is the library.
import { catalog, environments, up } from '../../catalog/index.ts';
import { ABSENT_IN_TEST_STACK, LEGITIMATELY_EMPTY, WARM_UP_MS } from './expectations.ts';
import { conformityProblems } from './harness/conformity.ts';
import {
  type BuiltDashboardModel,
  checkPanelQueries,
  describeCheck,
  type PanelQueryCheck,
} from './harness/dashboard-queries.ts';
import { seriesWithSamples } from './harness/prometheus-api.ts';
import { STACK_PROFILES, type Stack, type StackProfile, startStack } from './harness/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string) => process.stdout.write(`${line}\n`);

const matches = (pattern: string | RegExp, text: string) =>
  typeof pattern === 'string' ? pattern === text : pattern.test(text);

function declaredEmpty(check: PanelQueryCheck) {
  return LEGITIMATELY_EMPTY.find(
    (e) =>
      (matches(e.dashboard, check.dashboardUid) || matches(e.dashboard, check.dashboard)) &&
      matches(e.panel, check.panel) &&
      (e.refId === undefined || e.refId === check.refId) &&
      (e.selection === undefined || e.selection === check.selection),
  );
}

async function waitFor<T>(
  /** What is awaited; a function when the failure should say what was last seen. */
  what: string | (() => string),
  stack: Stack,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${typeof what === 'string' ? what : what()}\n${stack.logs()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const compression = timeCompression(TEST_PROFILE.name);
/** How long a duration the definitions state lasts on the test stack (the test profile compresses time). */
const deployedMs = (duration: string | undefined) =>
  duration ? parseDuration(compressDuration(duration, compression)) : 0;
/** Scrapes, rule evaluations, Alertmanager's group timing and the notification, on a busy machine. */
const SLACK_MS = 30_000;
/** The share of requests an error burst fails. */
const BURST_ERROR_RATIO = 0.5;
/** Longest the resolution of a page may take here; the whole run has to stay within a few minutes. */
const RESOLUTION_BUDGET_MS = 90_000;

/** The label of the environment dimension, and our environments: production pages, staging opens tickets. */
const ENVIRONMENT_LABEL = estate.http['prom-client'].labels.environment;
const [PRODUCTION, STAGING] = environments;

/** Every alerting rule of the build: rule groups' and those SLOs generate (inside KIND.slo definitions). */
function alertingRules(definitions: readonly Definition[]): AlertingRule[] {
  const groups = definitions.flatMap((d) =>
    kindOf(d) === KIND.group ? [d as RuleGroup] : kindOf(d) === KIND.slo ? (d as Slo).groups : [],
  );
  return groups.flatMap((g) => g.rules).filter((r): r is AlertingRule => r.kind === 'alert');
}

interface ProvisionedDatasource {
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly jsonData?: {
    readonly exemplarTraceIdDestinations?: ReadonlyArray<{ name: string; datasourceUid: string }>;
  };
}

/** What Jaeger's query API answers for `/api/traces/<id>`. */
interface JaegerTraces {
  readonly data?: ReadonlyArray<{
    readonly spans: ReadonlyArray<{ readonly operationName: string; readonly processID: string }>;
    readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
  }>;
}

/** Both profiles by default; `O11Y_E2E_PROFILES=single` (or `distributed`) runs one. */
const profiles = (process.env.O11Y_E2E_PROFILES?.split(',') ?? STACK_PROFILES).filter(
  (p): p is StackProfile => (STACK_PROFILES as readonly string[]).includes(p),
);

describe.each(profiles)('the sample organisation on a live stack (%s profile)', (profile) => {
  let stack: Stack;
  let startedAt: number;
  /** The panel checks, which the wrong-label check picks its victim from. */
  let panelChecks: PanelQueryCheck[] | undefined;

  beforeAll(async () => {
    stack = await startStack(root, log, profile);
    startedAt = Date.now();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const queryEnvironment = async () => ({
    prometheus: stack.query,
    grafana: (await loadRenderer()).grafana,
    scrapeInterval: stack.grafanaScrapeInterval,
    now: Date.now(),
  });

  it('scrapes every target and loads every rule group, healthy', async () => {
    // A target counts once one scrape of it has succeeded: with 1 s scrapes (the test profile) a scrape that
    // times out while the machine is busy says nothing about the configuration, which is what is checked here.
    const seenUp = new Set<string>();
    let down: string[] = [];
    const targetsUp = () => `every scrape target to answer once; never up: ${down.join('; ')}`;
    await waitFor(targetsUp, stack, 60_000, async () => {
      const targets = await stack.prometheus.targets();
      const key = (t: (typeof targets)[number]) => `${t.scrapePool} ${t.labels.instance}`;
      for (const t of targets) if (t.health === 'up') seenUp.add(key(t));
      down = targets.filter((t) => !seenUp.has(key(t))).map((t) => `${key(t)}: ${t.health} ${t.lastError}`);
      return targets.length > 0 && down.length === 0 ? targets : undefined;
    });
    const groups = await waitFor('two evaluations of every rule group', stack, 60_000, async () => {
      const loaded = await stack.query.ruleGroups();
      return loaded.length > 0 && loaded.every((g) => Date.parse(g.lastEvaluation) > startedAt + 2000)
        ? loaded
        : undefined;
    });
    const built = stack.model.ruleGroups.map((g) => g.name).sort();
    expect(groups.map((g) => g.name).sort()).toEqual(built);
    const unhealthy = groups.flatMap((g) =>
      g.rules
        .filter((r) => r.health !== 'ok')
        .map((r) => `${g.file} › ${g.name} › ${r.name}: ${r.health} ${r.lastError ?? ''}`),
    );
    if (unhealthy.length > 0) log(`${unhealthy.join('\n')}\n${stack.logs()}`);
    expect(unhealthy).toEqual([]);
  });

  it('scrapes series that conform to the catalogue', async () => {
    const problems = await conformityProblems(
      catalog,
      stack.prometheus,
      ABSENT_IN_TEST_STACK,
      (metric) => seriesPerTarget([metric]) * metric.jobs.reduce((sum, j) => sum + j.instances, 0),
      // Each environment against the catalogue, whose jobs count one environment’s instances; the
      // exporters (and the probes, whose instance is the URL) stand for production’s.
      (labels) => stack.targets.find((t) => t.address === labels.instance)?.environment ?? PRODUCTION,
    );
    expect(problems).toEqual([]);
  });

  it("follows a latency exemplar's trace id from Prometheus to its span in the provisioned Jaeger", async () => {
    // Grafana's exemplar links: the Prometheus datasource names the Jaeger datasource, which is the running Jaeger.
    const provisioned = parse(
      await readFile(path.join(stack.distDir, 'grafana', 'provisioning', 'datasources', 'o11y.yaml'), 'utf8'),
    ) as { datasources: ProvisionedDatasource[] };
    const prometheus = provisioned.datasources.find((d) => d.uid === DATASOURCE_UIDS.prometheus);
    const destinations = prometheus?.jsonData?.exemplarTraceIdDestinations ?? [];
    expect(destinations.map((d) => d.name)).toEqual([EXEMPLAR_TRACE_ID_LABEL]);
    const jaeger = provisioned.datasources.find((d) => d.uid === destinations[0]!.datasourceUid);
    expect(jaeger).toMatchObject({ type: 'jaeger', url: stack.tracing.jaegerUrl });

    // Exemplars are read from the scraping Prometheus in both profiles (Cortex is not sent them).
    const { duration, labels } = estate.http['prom-client'];
    const exemplar = await waitFor(`an exemplar on ${duration.name}_bucket`, stack, 30_000, async () => {
      const series = await stack.prometheus.queryExemplars(
        `${duration.name}_bucket`,
        Date.now() - 60_000,
        Date.now(),
      );
      for (const { seriesLabels, exemplars } of series) {
        const traced = exemplars.find((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL]);
        if (traced) return { seriesLabels, traceId: traced.labels[EXEMPLAR_TRACE_ID_LABEL]! };
      }
      return undefined;
    });
    const { seriesLabels, traceId } = exemplar;
    const operation = `${seriesLabels[labels.method]} ${seriesLabels[labels.route]}`;
    const span = await waitFor(`trace ${traceId} in Jaeger (${operation})`, stack, 30_000, async () => {
      const response = await fetch(`${jaeger!.url}/api/traces/${traceId}`);
      if (!response.ok) {
        await response.body?.cancel();
        return undefined;
      }
      const [trace] = ((await response.json()) as JaegerTraces).data ?? [];
      return trace?.spans
        .map((s) => ({ operation: s.operationName, service: trace.processes[s.processID]?.serviceName }))
        .find((s) => s.operation === operation);
    });
    expect(span).toEqual({ operation, service: seriesLabels[labels.service] });
  });

  it('runs real exporters whose /metrics conform to the catalogue (o11y catalog check)', async () => {
    const problems: string[] = [];
    for (const [job, url] of stack.exporters.metricsUrls) {
      const out: string[] = [];
      await o11y(['catalog', 'check', url, '--job', job, '--json'], {
        root,
        stdout: (text) => out.push(text),
        stderr: (text) => out.push(text),
      });
      const report = JSON.parse(out.join('')) as { job?: string; findings: Diagnostic[] };
      expect(report.job).toBe(job);
      const absent = (finding: Diagnostic) =>
        finding.id === 'catalog/missing' &&
        ABSENT_IN_TEST_STACK.some((a) => finding.message.startsWith(`${a.metric} `));
      problems.push(
        ...report.findings
          .filter((f) => f.severity === 'error' && !absent(f))
          .map((f) => `${job} (${url}): ${formatDiagnostic(f)}`),
      );
    }
    expect(problems).toEqual([]);
  });

  /**
   * The availability SLO the fault checks burst (the first service's), and its windows of a severity,
   * which must all see a burst of BURST_ERROR_RATIO.
   */
  const burstOf = (severity: 'page' | 'ticket') => {
    const slo = stack.definitions.find(
      (d): d is Slo => kindOf(d) === KIND.slo && (d as Slo).name === 'availability',
    );
    expect(slo, 'an availability SLO').toBeDefined();
    const windows = slo!.windows.filter((w) => w.severity === severity);
    expect(
      Math.max(...windows.map((w) => w.threshold)),
      `a fault the ${severity} alert can see`,
    ).toBeLessThan(BURST_ERROR_RATIO);
    return { slo: slo!, service: slo!.service, windows };
  };
  const readRouting = async () =>
    readRoutingConfig(await readFile(path.join(stack.distDir, 'alertmanager', 'alertmanager.yml'), 'utf8'));

  // The fault checks run while the stack warms up for the panel checks, which follow them. The staging
  // burst comes first: the production page burst after it leaves production's long windows burning.
  it(
    'opens the staging ticket on the staging channel, and nothing in production, on an error burst in staging only',
    async () => {
      const { slo, service, windows: ticketWindows } = burstOf('ticket');
      const ours = { service, slo: slo.name };
      const isOurs = (labels: Readonly<Record<string, string>>, environment: string) =>
        labels[ENVIRONMENT_LABEL] === environment &&
        Object.values(slo.alertNames).includes(labels.alertname!) &&
        Object.entries(ours).every(([k, v]) => labels[k] === v);
      const ticket = (labels: Readonly<Record<string, string>>) =>
        isOurs(labels, STAGING) &&
        labels.alertname === slo.alertNames.burn &&
        labels.slo_severity === 'ticket';
      // A window's error ratio exceeds its threshold once the burst fills threshold/BURST_ERROR_RATIO of
      // it (less while the stack is younger than the window, which then holds its whole history):
      // seconds for the compressed ticket windows, not their length.
      const crossing = Math.max(
        ...ticketWindows.map((w) => (w.threshold / BURST_ERROR_RATIO) * deployedMs(w.long)),
      );
      const seenInProduction: string[] = [];
      const watchProduction = async () => {
        for (const alert of await stack.query.alerts())
          if (isOurs(alert.labels, PRODUCTION))
            seenInProduction.push(`${alert.labels.alertname} ${alert.state} ${JSON.stringify(alert.labels)}`);
      };

      await stack.injectFault({ job: service, environment: STAGING }, { errorRatio: BURST_ERROR_RATIO });
      try {
        const rule = slo.alerts.ticket!;
        const firing = await waitFor(
          `${slo.alertNames.burn} (ticket) of ${service} in ${STAGING} to fire`,
          stack,
          crossing + deployedMs(rule.for) + SLACK_MS,
          async () => {
            await watchProduction();
            return (await stack.query.alerts()).find((a) => a.state === 'firing' && ticket(a.labels));
          },
        );
        const routing = await readRouting();
        const expected = receiversFor(routing, firing.labels).filter((r) => routing.notifies.get(r));
        expect(expected, 'the routing tests’ receiver of a staging SLO ticket').toEqual([
          stagingChannel.name,
        ]);
        const delivered = await waitFor(`the ticket at ${expected.join(', ')}`, stack, SLACK_MS, async () => {
          await watchProduction();
          return stack.sink.notifications.find(
            (n) => n.status === 'firing' && n.alerts.some((a) => a.status === 'firing' && ticket(a.labels)),
          );
        });
        expect(delivered.receiver).toBe(stagingChannel.name);
        expect(delivered.alerts.find((a) => ticket(a.labels))!.labels).toMatchObject(firing.labels);

        // The recorded error ratios the burn-rate alerts compare: staging's above every ticket threshold,
        // production's below every threshold, page and ticket.
        const ratios = async (window: string) =>
          new Map(
            seriesWithSamples(await stack.query.query(String(slo.sli(window)), Date.now())).map((s) => [
              s.metric[ENVIRONMENT_LABEL],
              Number(s.value![1]),
            ]),
          );
        const figures: string[] = [];
        for (const w of slo.windows) {
          for (const window of [w.long, w.short]) {
            const byEnvironment = await ratios(window);
            const production = byEnvironment.get(PRODUCTION);
            const staging = byEnvironment.get(STAGING);
            figures.push(
              `${w.severity} ${window}: production ${production}, staging ${staging} (threshold ${w.threshold})`,
            );
            expect(production, `production's error ratio over ${window}`).toBeLessThan(w.threshold);
            if (w.severity === 'ticket')
              expect(staging, `staging's error ratio over ${window}`).toBeGreaterThan(w.threshold);
          }
        }
        log(`e2e: ${STAGING} ticket of ${service} at ${delivered.receiver}; ${figures.join('; ')}`);
      } finally {
        await stack.clearFaults();
      }
      await watchProduction();
      const production = stack.sink.notifications.filter((n) =>
        n.alerts.some((a) => isOurs(a.labels, PRODUCTION)),
      );
      expect(seenInProduction, 'production SLO alerts, pending or firing').toEqual([]);
      expect(production, 'notifications of production SLO alerts').toEqual([]);
    },
    5 * 60_000,
  );

  it(
    'pages the receiver the routing tests expect on an error burst, and resolves when it ends',
    async () => {
      const { slo, service, windows: pageWindows } = burstOf('page');
      const page = { alertname: slo.alertNames.burn, service, slo: slo.name, slo_severity: 'page' };
      const isPage = (labels: Readonly<Record<string, string>>) =>
        Object.entries(page).every(([k, v]) => labels[k] === v);
      const faultId = await stack.injectFault({ job: service }, { errorRatio: BURST_ERROR_RATIO });
      expect(faultId).toBeGreaterThan(0);
      // Both windows of a pair cross its threshold once the long one holds enough of the burst.
      const firingWithin = Math.max(...pageWindows.map((w) => deployedMs(w.long))) + SLACK_MS;
      const firing = await waitFor(
        `${page.alertname} for ${service} to fire`,
        stack,
        firingWithin,
        async () => (await stack.query.alerts()).find((a) => a.state === 'firing' && isPage(a.labels)),
      );
      const routing = await readRouting();
      const expected = receiversFor(routing, firing.labels).filter((r) => routing.notifies.get(r));
      expect(expected.length, 'the page alert routes to a receiver that notifies someone').toBeGreaterThan(0);
      const ours = (status: Notification['status']) =>
        stack.sink.notifications.filter(
          (n) => n.status === status && n.alerts.some((a) => a.status === status && isPage(a.labels)),
        );
      const reachedAll = (got: readonly Notification[]) =>
        expected.every((r) => got.some((n) => n.receiver === r)) ? got : undefined;
      const delivered = await waitFor(`notifications to ${expected.join(', ')}`, stack, SLACK_MS, async () =>
        reachedAll(ours('firing')),
      );
      for (const notification of delivered) {
        const alert = notification.alerts.find((a) => isPage(a.labels))!;
        expect(alert.labels).toMatchObject(firing.labels);
        expect(alert.annotations).toMatchObject(firing.annotations);
        expect(Object.keys(alert.annotations)).toEqual(
          expect.arrayContaining(['summary', 'description', 'runbook_url']),
        );
      }

      const clearedAt = Date.now();
      await stack.clearFaults();
      // The page stops once every page pair's short window has forgotten the burst.
      const rule = slo.alerts.page!;
      const resolution =
        Math.max(...pageWindows.map((w) => deployedMs(w.short))) + deployedMs(rule.keepFiringFor) + SLACK_MS;
      expect(
        resolution,
        `resolving needs the page windows' short windows (${pageWindows.map((w) => w.short).join(', ')}) to pass; the test profile must compress them`,
      ).toBeLessThanOrEqual(RESOLUTION_BUDGET_MS);
      const resolved = await waitFor(
        `${page.alertname} for ${service} to resolve`,
        stack,
        resolution,
        async () => reachedAll(ours('resolved')),
      );
      const resolvedAfter = Math.max(...resolved.map((n) => n.receivedAt)) - clearedAt;
      log(
        `e2e: ${page.alertname} paged ${expected.join(', ')}; resolved ${(resolvedAfter / 1000).toFixed(1)}s after the fault was removed`,
      );
    },
    5 * 60_000,
  );

  it(
    'fires the target-down alert of a staging target for staging, on the staging channel',
    async () => {
      // The alerting rules on `up`, with the job their selector names, found through the typed expressions.
      const onUp = alertingRules(stack.definitions).flatMap((rule) =>
        [...walk(rule.expr.node)].flatMap((node) =>
          node.type === 'selector' && seriesOfNode(node)?.declaration === up.declaration
            ? node.matchers
                .filter((m) => m.label === 'job' && m.op === '=')
                .map((m) => ({ rule, job: m.value }))
            : [],
        ),
      );
      const choice = onUp.find(({ job }) =>
        stack.targets.some((t) => t.job === job && t.kind !== 'blackbox'),
      );
      expect(choice, 'an alerting rule on `up` of a job the sample service poses as').toBeDefined();
      const { rule, job } = choice!;
      const victim = stack.targets.find((t) => t.job === job && t.environment === STAGING);
      expect(victim, `a staging target of ${job}`).toBeDefined();
      await stack.injectFault({ job, instance: victim!.address }, { unresponsive: true });
      const ours = (labels: Readonly<Record<string, string>>) =>
        labels.alertname === rule.name && labels.instance === victim!.address;
      try {
        const firing = await waitFor(
          `${rule.name} for ${victim!.address} (for: ${rule.for ?? '0s'}, compressed to ${compressDuration(rule.for ?? '0s', compression)})`,
          stack,
          deployedMs(rule.for) + SLACK_MS,
          async () => (await stack.query.alerts()).find((a) => a.state === 'firing' && ours(a.labels)),
        );
        expect(firing.labels).toMatchObject({ ...rule.labels, [ENVIRONMENT_LABEL]: STAGING });
        const routing = await readRouting();
        expect(receiversFor(routing, firing.labels).filter((r) => routing.notifies.get(r))).toEqual([
          stagingChannel.name,
        ]);
        const delivered = await waitFor(`${rule.name} at ${stagingChannel.name}`, stack, SLACK_MS, async () =>
          stack.sink.notifications.find((n) => n.alerts.some((a) => a.status === 'firing' && ours(a.labels))),
        );
        expect(delivered.receiver).toBe(stagingChannel.name);
      } finally {
        await stack.clearFaults();
      }
    },
    5 * 60_000,
  );

  it(
    'returns data for every panel query of every dashboard',
    async () => {
      const waited = Date.now() - startedAt;
      if (waited < WARM_UP_MS) await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS - waited));
      const env = await queryEnvironment();
      const checks = [
        ...(await checkPanelQueries(stack.model.dashboards, env, 'default')),
        ...(await checkPanelQueries(stack.model.dashboards, env, 'first')),
      ];
      panelChecks = checks;
      const queried = checks.filter((c) => c.outcome !== 'skipped');
      const withData = queried.filter((c) => c.outcome === 'data');
      const allowed = queried.filter((c) => c.outcome === 'empty' && declaredEmpty(c));
      const failing = queried.filter(
        (c) => c.outcome === 'error' || (c.outcome === 'empty' && !declaredEmpty(c)),
      );
      const panels = new Set(queried.map((c) => `${c.dashboardUid}/${c.panelId}`));
      const panelsWithData = new Set(withData.map((c) => `${c.dashboardUid}/${c.panelId}`));
      log(
        `e2e: ${stack.model.dashboards.length} dashboards, ${panels.size} panels queried, ${panelsWithData.size} with data ` +
          `(${queried.length} queries over both variable selections: ${withData.length} returned data, ` +
          `${allowed.length} empty as declared, ${failing.length} failed, ${checks.length - queried.length} skipped, not Prometheus)`,
      );
      if (failing.length > 0) log(`${failing.map(describeCheck).join('\n')}\n${stack.logs(15)}`);
      expect(failing.map((c) => `${c.dashboard} › ${c.panel} (${c.refId}, ${c.selection})`)).toEqual([]);
    },
    // The warm-up wait and over a thousand queries, on a machine other work shares.
    5 * 60_000,
  );

  it(
    'returns no series of the other environment from any panel with one $environment selected',
    async () => {
      // Runs after the panel check above, so the stack has warmed up.
      const variable = catalog.dimensions?.enabled.find((d) => d.label === ENVIRONMENT_LABEL)?.name;
      expect(variable, `a dimension on the ${ENVIRONMENT_LABEL} label`).toBeDefined();
      const filtered = stack.model.dashboards.filter((d) => d.variables.some((v) => v.name === variable));
      const others = stack.model.dashboards.filter((d) => !filtered.includes(d));
      const env = await queryEnvironment();
      const leaks: string[] = [];
      const failed: string[] = [];
      for (const selected of environments) {
        const checks = await checkPanelQueries(filtered, env, `${variable}=${selected}`, {
          labelOf: ENVIRONMENT_LABEL,
        });
        const queried = checks.filter((c) => c.outcome !== 'skipped');
        failed.push(...queried.filter((c) => c.outcome === 'error').map(describeCheck));
        for (const check of queried) {
          const foreign = (check.labelValues ?? []).filter((v) => v !== undefined && v !== selected);
          if (foreign.length > 0)
            leaks.push(`${describeCheck(check)}\n    returned ${foreign.join(', ')} series`);
        }
        const labelled = queried.filter((c) => c.labelValues?.includes(selected));
        // Aggregated away from the label (sum by (route), a single stat): the result cannot say which
        // environment it came from; what filters it is the $environment matcher on every selector,
        // which lint's dashboard/variable-ignored requires.
        const aggregated = queried.filter(
          (c) => c.outcome === 'data' && !c.labelValues?.some((v) => v !== undefined),
        );
        expect(
          labelled.length,
          `queries whose ${selected} series carry ${ENVIRONMENT_LABEL}`,
        ).toBeGreaterThan(0);
        log(
          `e2e: $${variable}=${selected} on ${filtered.length} dashboards: ${queried.length} queries, ${labelled.length} returned ${ENVIRONMENT_LABEL}-labelled series (all ${selected}), ` +
            `${aggregated.length} data aggregated away from ${ENVIRONMENT_LABEL}, ${queried.filter((c) => c.outcome === 'empty').length} empty`,
        );
      }
      // Dashboards without the variable read series that carry no environment (the exporters').
      const unlabelled = await checkPanelQueries(others, env, 'default', { labelOf: ENVIRONMENT_LABEL });
      const carrying = unlabelled.filter((c) => c.labelValues?.some((v) => v !== undefined));
      log(
        `e2e: ${others.length} dashboards without $${variable} (${others.map((d) => d.uid).join(', ')}): ${carrying.length} of ${unlabelled.length} queries return ${ENVIRONMENT_LABEL}-labelled series`,
      );
      expect(failed).toEqual([]);
      expect(leaks).toEqual([]);
      expect(carrying.map(describeCheck)).toEqual([]);
    },
    5 * 60_000,
  );

  it('fails, naming the dashboard and panel, when a query has a wrong label value', async () => {
    const env = await queryEnvironment();
    const healthy = panelChecks ?? (await checkPanelQueries(stack.model.dashboards, env, 'default'));
    const victim = healthy.find(
      (c) => c.selection === 'default' && c.outcome === 'data' && /\w="[^"$]+"/.test(c.expr),
    );
    expect(victim, 'a panel query with a literal label value').toBeDefined();
    const dashboard = stack.model.dashboards.find((d) => d.uid === victim!.dashboardUid)!;
    const broken: BuiltDashboardModel = {
      ...dashboard,
      panels: dashboard.panels
        .filter((p) => p.id === victim!.panelId)
        .map((p) => ({
          ...p,
          queries: p.queries
            .filter((q) => q.refId === victim!.refId)
            .map((q) => ({ ...q, expr: q.expr.replace(/(\w+)="([^"$]+)"/, '$1="$2-misspelt"') })),
        })),
    };
    const [check] = await checkPanelQueries([broken], env, 'default');
    expect(check!.outcome).toBe('empty');
    const report = describeCheck(check!);
    expect(report).toContain(`dashboard "${dashboard.title}"`);
    expect(report).toContain(`panel "${victim!.panel}"`);
    expect(report).toContain(`${victim!.source.file}:${victim!.source.line}`);
  });
});
