import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, type RunningServer, startServer, toolPath } from '@o11y/core';
import { stringify } from 'yaml';

/** With `auth_enabled: false` Cortex serves every request as this one tenant. */
export const CORTEX_TENANT = 'fake';

export interface CortexOptions {
  /** How often the ruler evaluates groups that set no interval (Cortex's default: 1m). */
  readonly evaluationInterval?: string;
  /**
   * How often the ruler and the Alertmanager load the rule groups and configurations written through
   * their APIs (Cortex's defaults: 1m and 15s).
   */
  readonly pollInterval?: string;
  /** Extra Cortex flags, last so they win. */
  readonly extraArgs?: readonly string[];
}

const ring = { instance_interface_names: ['lo'], kvstore: { store: 'inmemory' } };

/**
 * One Cortex process with every component (`all`), the ruler and the multi-tenant Alertmanager, its
 * blocks, rules and Alertmanager configs on the filesystem under `dir`. Rings are in memory and
 * advertise the loopback interface (else they pick a non-loopback address); the `filesystem` rule
 * and Alertmanager stores are writable through the APIs, the `local` ones are not.
 */
export function cortexConfig(dir: string, options: CortexOptions = {}): Record<string, unknown> {
  const at = (name: string) => path.join(dir, name);
  return {
    auth_enabled: false,
    target: 'all,ruler,alertmanager',
    server: { http_listen_address: '127.0.0.1', grpc_listen_address: '127.0.0.1', log_level: 'warn' },
    distributor: { shard_by_all_labels: true, ring },
    ingester: {
      lifecycler: {
        interface_names: ['lo'],
        min_ready_duration: '0s',
        final_sleep: '0s',
        num_tokens: 512,
        ring: { kvstore: { store: 'inmemory' }, replication_factor: 1 },
      },
    },
    frontend_worker: { match_max_concurrent: true, instance_interface_names: ['lo'] },
    blocks_storage: {
      backend: 'filesystem',
      filesystem: { dir: at('blocks') },
      tsdb: { dir: at('tsdb') },
      bucket_store: { sync_dir: at('tsdb-sync') },
    },
    compactor: { data_dir: at('compactor'), sharding_ring: ring },
    store_gateway: { sharding_ring: ring },
    ruler: {
      enable_api: true,
      poll_interval: options.pollInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '15s',
      rule_path: at('ruler-tmp'),
      ring,
    },
    ruler_storage: { backend: 'filesystem', filesystem: { dir: at('rules') } },
    alertmanager: {
      enable_api: true,
      poll_interval: options.pollInterval ?? '1s',
      data_dir: at('alertmanager-data'),
      sharding_ring: ring,
      cluster: { listen_address: '' },
    },
    alertmanager_storage: { backend: 'filesystem', filesystem: { dir: at('alertmanager') } },
  };
}

/**
 * The pinned Cortex (`npm run setup` builds it) on 127.0.0.1 with free HTTP and gRPC ports, its
 * ruler sending alerts to its own Alertmanager; ready when `/ready` answers.
 */
export async function startCortex(dir: string, options: CortexOptions = {}): Promise<RunningServer> {
  await mkdir(dir, { recursive: true });
  const configFile = path.join(dir, 'cortex.yaml');
  await writeFile(configFile, stringify(cortexConfig(dir, options)));
  const grpcPort = await freePort();
  return startServer({
    binary: toolPath('cortex'),
    args: (port) => [
      `-config.file=${configFile}`,
      `-server.http-listen-port=${port}`,
      `-server.grpc-listen-port=${grpcPort}`,
      `-ruler.alertmanager-url=http://127.0.0.1:${port}/alertmanager`,
      `-alertmanager.web.external-url=http://127.0.0.1:${port}/alertmanager`,
      ...(options.extraArgs ?? []),
    ],
    readyPath: '/ready',
    // Its queriers keep an active-query log in the working directory.
    cwd: dir,
    timeoutMs: 60_000,
  });
}
