export { type Estate, environmentsOf, type HttpNaming, metricsOfJob } from './estate.ts';
export {
  type Fault,
  type FaultEffect,
  type FaultSpec,
  Faults,
  type FaultTarget,
  parseFault,
} from './faults.ts';
export { EXEMPLAR_TRACE_ID_LABEL, otelPrometheusName } from './instrumentation.ts';
export { type SampleService, type SampleServiceOptions, startSampleService } from './service.ts';
export type { Behaviour } from './simulated.ts';
export { probeTargetsOf, type TargetInfo, type TargetKind } from './targets.ts';
