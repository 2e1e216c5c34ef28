export type { StoredAlertRule } from './alerting-routes.ts';
export type { FaultOptions } from './faults.ts';
export { launchGrafanaSimulator, parseFaults, type SimulatorLaunch } from './launch.ts';
export {
  GrafanaSimulator,
  type GrafanaSimulatorOptions,
  type HumanEdit,
  type RequestRecord,
} from './simulator.ts';
export type { Identity, JsonObject, StoredDashboard, StoredFolder, StoredVersion } from './store.ts';
