export type { FaultOptions } from './faults.ts';
export {
  GrafanaSimulator,
  type GrafanaSimulatorOptions,
  type HumanEdit,
  type RequestRecord,
} from './simulator.ts';
export type { Identity, JsonObject, StoredDashboard, StoredFolder, StoredVersion } from './store.ts';
