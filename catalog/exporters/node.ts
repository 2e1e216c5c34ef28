import { counter, gauge, label } from '@o11y/catalog';
import { nodeExporterJob } from '../jobs.ts';

/** node_exporter's core collectors (cpu, loadavg, meminfo, filesystem, diskstats, netdev, uname). */
const jobs = [nodeExporterJob];
const hosts = nodeExporterJob.instances;
const cpu = label.cardinality(8);
const disk = label.cardinality(4);
const netDevice = label.cardinality(4);
const filesystem = {
  device: label.cardinality(6),
  fstype: label.values(['ext4', 'xfs', 'tmpfs', 'overlay', 'vfat']),
  mountpoint: label.cardinality(6),
};
const filesystemCaps = [{ labels: ['instance', 'mountpoint'] as const, max: hosts * 6 }];

export const nodeCpuSecondsTotal = counter('node_cpu_seconds_total', {
  help: 'Seconds the CPUs spent in each mode.',
  unit: 'seconds',
  jobs,
  labels: {
    cpu,
    mode: label.values(['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']),
  },
  jointCaps: [{ labels: ['instance', 'cpu'], max: hosts * 8 }],
});

export const nodeLoad1 = gauge('node_load1', { help: '1m load average.', unit: 'count', jobs, labels: {} });
export const nodeLoad5 = gauge('node_load5', { help: '5m load average.', unit: 'count', jobs, labels: {} });
export const nodeLoad15 = gauge('node_load15', {
  help: '15m load average.',
  unit: 'count',
  jobs,
  labels: {},
});

export const nodeMemoryMemTotalBytes = gauge('node_memory_MemTotal_bytes', {
  help: 'Memory information field MemTotal_bytes.',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const nodeMemoryMemAvailableBytes = gauge('node_memory_MemAvailable_bytes', {
  help: 'Memory information field MemAvailable_bytes.',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const nodeMemoryMemFreeBytes = gauge('node_memory_MemFree_bytes', {
  help: 'Memory information field MemFree_bytes.',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const nodeMemorySwapTotalBytes = gauge('node_memory_SwapTotal_bytes', {
  help: 'Memory information field SwapTotal_bytes.',
  unit: 'bytes',
  jobs,
  labels: {},
});
export const nodeMemorySwapFreeBytes = gauge('node_memory_SwapFree_bytes', {
  help: 'Memory information field SwapFree_bytes.',
  unit: 'bytes',
  jobs,
  labels: {},
});

export const nodeFilesystemAvailBytes = gauge('node_filesystem_avail_bytes', {
  help: 'Filesystem space available to non-root users in bytes.',
  unit: 'bytes',
  jobs,
  labels: filesystem,
  jointCaps: filesystemCaps,
});
export const nodeFilesystemSizeBytes = gauge('node_filesystem_size_bytes', {
  help: 'Filesystem size in bytes.',
  unit: 'bytes',
  jobs,
  labels: filesystem,
  jointCaps: filesystemCaps,
});
export const nodeFilesystemFreeBytes = gauge('node_filesystem_free_bytes', {
  help: 'Filesystem free space in bytes.',
  unit: 'bytes',
  jobs,
  labels: filesystem,
  jointCaps: filesystemCaps,
});
export const nodeFilesystemReadonly = gauge('node_filesystem_readonly', {
  help: 'Filesystem read-only status.',
  unit: 'boolean',
  jobs,
  labels: filesystem,
  jointCaps: filesystemCaps,
});

export const nodeDiskReadBytesTotal = counter('node_disk_read_bytes_total', {
  help: 'The total number of bytes read successfully.',
  unit: 'bytes',
  jobs,
  labels: { device: disk },
});
export const nodeDiskWrittenBytesTotal = counter('node_disk_written_bytes_total', {
  help: 'The total number of bytes written successfully.',
  unit: 'bytes',
  jobs,
  labels: { device: disk },
});
export const nodeDiskIoTimeSecondsTotal = counter('node_disk_io_time_seconds_total', {
  help: 'Total seconds spent doing I/Os.',
  unit: 'seconds',
  jobs,
  labels: { device: disk },
});

export const nodeNetworkReceiveBytesTotal = counter('node_network_receive_bytes_total', {
  help: 'Network device statistic receive_bytes.',
  unit: 'bytes',
  jobs,
  labels: { device: netDevice },
});
export const nodeNetworkTransmitBytesTotal = counter('node_network_transmit_bytes_total', {
  help: 'Network device statistic transmit_bytes.',
  unit: 'bytes',
  jobs,
  labels: { device: netDevice },
});
export const nodeNetworkReceiveErrsTotal = counter('node_network_receive_errs_total', {
  help: 'Network device statistic receive_errs.',
  unit: 'packets',
  jobs,
  labels: { device: netDevice },
});
export const nodeNetworkTransmitErrsTotal = counter('node_network_transmit_errs_total', {
  help: 'Network device statistic transmit_errs.',
  unit: 'packets',
  jobs,
  labels: { device: netDevice },
});

export const nodeBootTimeSeconds = gauge('node_boot_time_seconds', {
  help: 'Node boot time, in unixtime.',
  unit: 'timestamp',
  jobs,
  labels: {},
});

export const nodeUnameInfo = gauge('node_uname_info', {
  help: 'Labeled system information as provided by the uname system call.',
  unit: 'info',
  jobs,
  labels: {
    sysname: label.values(['Linux']),
    release: label.cardinality(2),
    version: label.cardinality(2),
    machine: label.values(['x86_64', 'aarch64']),
    nodename: label.cardinality(hosts),
    domainname: label.cardinality(1),
  },
});
