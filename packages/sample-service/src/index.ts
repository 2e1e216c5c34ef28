export { type Estate, type ExporterPlan, type HttpNaming, metricsOfJob } from './estate.ts';
export {
  type Fault,
  type FaultEffect,
  type FaultSpec,
  Faults,
  type FaultTarget,
  parseFault,
} from './faults.ts';
export { otelPrometheusName } from './instrumentation.ts';
export { type SampleService, type SampleServiceOptions, startSampleService } from './service.ts';
export type { Behaviour } from './simulated.ts';
export type { TargetInfo, TargetKind } from './targets.ts';
