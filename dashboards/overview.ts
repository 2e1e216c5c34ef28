import {
  businessDashboard,
  executiveSummaryDashboard,
  goldenSignalsDashboard,
  sloOverviewDashboard,
} from '@o11y/dashboards';
import * as catalog from '../catalog/index.ts';
import { slos } from '../rules/slos.ts';
import {
  API_ERROR_RATE,
  DB_POOL_USAGE,
  P95_LATENCY_SECONDS,
  PREMIUM_ACTIVE_USERS_MIN,
  TRANSACTION_FAILURE_RATE,
} from '../rules/thresholds.ts';
import { overviewFolder } from './folders.ts';

const http = [catalog.httpConventions['prom-client'], catalog.httpConventions.otel];
const business = {
  activeUsers: catalog.activeUsers,
  signups: catalog.userSignupsTotal,
  transactions: catalog.transactionsTotal,
  orderProcessing: catalog.orderProcessingDurationSeconds,
  apiUsage: catalog.apiUsageTotal,
  revenue: catalog.revenueTotal,
};

export const goldenSignals = goldenSignalsDashboard({
  http,
  up: catalog.up,
  folder: overviewFolder,
  saturation: {
    cpuSeconds: catalog.processCpuSecondsTotal,
    residentMemory: catalog.processResidentMemoryBytes,
    eventLoopLagP99: catalog.nodejsEventloopLagP99Seconds,
    poolConnections: catalog.dbPoolConnections,
    poolMaxConnections: catalog.dbPoolMaxConnections,
  },
  thresholds: { errorRatio: API_ERROR_RATE, p95Latency: P95_LATENCY_SECONDS, poolUtilisation: DB_POOL_USAGE },
});

export const businessKpis = businessDashboard({
  metrics: business,
  folder: overviewFolder,
  thresholds: {
    transactionFailureRatio: TRANSACTION_FAILURE_RATE,
    premiumActiveUsers: PREMIUM_ACTIVE_USERS_MIN,
  },
});

export const executiveSummary = executiveSummaryDashboard({
  http,
  up: catalog.up,
  business,
  slos,
  folder: overviewFolder,
  thresholds: { availability: 1 - API_ERROR_RATE },
});

/** Error budgets and burn rates of every SLO of every service (rules/slos.ts). */
export const sloOverview = sloOverviewDashboard(slos, { folder: overviewFolder });
