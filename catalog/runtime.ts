import { counter, gauge, histogram, label } from '@o11y/catalog';
import { exposedBy } from './exposure.ts';
import { nodeExporterJob, postgresExporterJob, redisExporterJob } from './jobs.ts';
import { promClientServices } from './services.ts';

/** prom-client's `collectDefaultMetrics()`, as every prom-client service registers it. */
const { jobs, defaultLabels, jointCaps } = exposedBy(promClientServices);
const labels = defaultLabels;
/**
 * The process metrics Go's client library exposes too: the node, postgres and redis exporters have
 * them (without the services' default labels); the blackbox job's /probe does not. A `service` value
 * then comes from one job, its own, and no `service` from the exporters' jobs.
 */
const exporters = [nodeExporterJob, postgresExporterJob, redisExporterJob];
// Not `[...jobs, ...exporters]`: TypeScript reduces a spread literal's union of 1,000 job types pairwise (TS2590).
const processJobs: readonly ((typeof jobs)[number] | (typeof exporters)[number])[] = [jobs, exporters].flat();
const processCaps = [{ labels: ['job'], per: ['service'], max: exporters.length }] as const;

export const processCpuUserSecondsTotal = counter('process_cpu_user_seconds_total', {
  help: 'Total user CPU time spent in seconds.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const processCpuSystemSecondsTotal = counter('process_cpu_system_seconds_total', {
  help: 'Total system CPU time spent in seconds.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const processCpuSecondsTotal = counter('process_cpu_seconds_total', {
  help: 'Total user and system CPU time spent in seconds.',
  unit: 'seconds',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});
export const processStartTimeSeconds = gauge('process_start_time_seconds', {
  help: 'Start time of the process since unix epoch in seconds.',
  unit: 'timestamp',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});
export const processResidentMemoryBytes = gauge('process_resident_memory_bytes', {
  help: 'Resident memory size in bytes.',
  unit: 'bytes',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});
export const processVirtualMemoryBytes = gauge('process_virtual_memory_bytes', {
  help: 'Virtual memory size in bytes.',
  unit: 'bytes',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});
export const processHeapBytes = gauge('process_heap_bytes', {
  help: 'Process heap size in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels,
});
export const processOpenFds = gauge('process_open_fds', {
  help: 'Number of open file descriptors.',
  unit: 'count',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});
export const processMaxFds = gauge('process_max_fds', {
  help: 'Maximum number of open file descriptors.',
  unit: 'count',
  jobs: processJobs,
  jointCaps: processCaps,
  labels,
});

export const nodejsEventloopLagSeconds = gauge('nodejs_eventloop_lag_seconds', {
  help: 'Lag of event loop in seconds.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagP99Seconds = gauge('nodejs_eventloop_lag_p99_seconds', {
  help: 'The 99th percentile of the recorded event loop delays.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagP90Seconds = gauge('nodejs_eventloop_lag_p90_seconds', {
  help: 'The 90th percentile of the recorded event loop delays.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagP50Seconds = gauge('nodejs_eventloop_lag_p50_seconds', {
  help: 'The 50th percentile of the recorded event loop delays.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagMeanSeconds = gauge('nodejs_eventloop_lag_mean_seconds', {
  help: 'The mean of the recorded event loop delays.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagMinSeconds = gauge('nodejs_eventloop_lag_min_seconds', {
  help: 'The minimum recorded event loop delay.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagMaxSeconds = gauge('nodejs_eventloop_lag_max_seconds', {
  help: 'The maximum recorded event loop delay.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});
export const nodejsEventloopLagStddevSeconds = gauge('nodejs_eventloop_lag_stddev_seconds', {
  help: 'The standard deviation of the recorded event loop delays.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels,
});

/** libuv handle and request types are C++ class names: a few dozen at most. */
const libuvType = label.cardinality(30);

export const nodejsActiveResources = gauge('nodejs_active_resources', {
  help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
  unit: 'count',
  jobs,
  jointCaps,
  labels: { ...labels, type: libuvType },
});
export const nodejsActiveResourcesTotal = gauge('nodejs_active_resources_total', {
  help: 'Total number of active resources.',
  unit: 'count',
  jobs,
  jointCaps,
  labels,
});
export const nodejsActiveHandles = gauge('nodejs_active_handles', {
  help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
  unit: 'count',
  jobs,
  jointCaps,
  labels: { ...labels, type: libuvType },
});
export const nodejsActiveHandlesTotal = gauge('nodejs_active_handles_total', {
  help: 'Total number of active handles.',
  unit: 'count',
  jobs,
  jointCaps,
  labels,
});
export const nodejsActiveRequests = gauge('nodejs_active_requests', {
  help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
  unit: 'count',
  jobs,
  jointCaps,
  labels: { ...labels, type: libuvType },
});
export const nodejsActiveRequestsTotal = gauge('nodejs_active_requests_total', {
  help: 'Total number of active requests.',
  unit: 'count',
  jobs,
  jointCaps,
  labels,
});

export const nodejsHeapSizeTotalBytes = gauge('nodejs_heap_size_total_bytes', {
  help: 'Process heap size from Node.js in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels,
});
export const nodejsHeapSizeUsedBytes = gauge('nodejs_heap_size_used_bytes', {
  help: 'Process heap size used from Node.js in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels,
});
export const nodejsExternalMemoryBytes = gauge('nodejs_external_memory_bytes', {
  help: 'Node.js external memory size in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels,
});

/** V8's heap spaces (Node.js 20: read_only, new, old, code, shared, trusted and their large-object twins). */
const heapSpace = label.cardinality(12);

export const nodejsHeapSpaceSizeTotalBytes = gauge('nodejs_heap_space_size_total_bytes', {
  help: 'Process heap space size total from Node.js in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels: { ...labels, space: heapSpace },
});
export const nodejsHeapSpaceSizeUsedBytes = gauge('nodejs_heap_space_size_used_bytes', {
  help: 'Process heap space size used from Node.js in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels: { ...labels, space: heapSpace },
});
export const nodejsHeapSpaceSizeAvailableBytes = gauge('nodejs_heap_space_size_available_bytes', {
  help: 'Process heap space size available from Node.js in bytes.',
  unit: 'bytes',
  jobs,
  jointCaps,
  labels: { ...labels, space: heapSpace },
});

export const nodejsVersionInfo = gauge('nodejs_version_info', {
  help: 'Node.js version info.',
  unit: 'info',
  jobs,
  jointCaps,
  labels: {
    ...labels,
    version: label.cardinality(3),
    major: label.cardinality(2),
    minor: label.cardinality(3),
    patch: label.cardinality(3),
  },
});

export const nodejsGcDurationSeconds = histogram('nodejs_gc_duration_seconds', {
  help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
  unit: 'seconds',
  jobs,
  jointCaps,
  labels: { ...labels, kind: label.values(['major', 'minor', 'incremental', 'weakcb']) },
  buckets: [0.001, 0.01, 0.1, 1, 2, 5],
});
