import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { O11yError, type RunningServer, startServer } from '@o11y/core';
import type { TargetInfo } from '@o11y/sample-service';
import { stringify } from 'yaml';

/**
 * The real programs behind the estate's exporter jobs, from Debian's packages (`npm run setup`
 * installs them): PostgreSQL and Redis with throwaway data directories, and the node, postgres, redis
 * and blackbox exporters, every one on 127.0.0.1 with a free port.
 */
export interface RealExporters {
  /** One scrape target per exporter job, as the sample service describes its own targets. */
  readonly targets: readonly TargetInfo[];
  /** Each exporter's `/metrics` by job, for `o11y catalog check`. */
  readonly metricsUrls: ReadonlyMap<string, string>;
  logs(lines?: number): string;
  stop(): Promise<void>;
}

/** The exporter jobs of the catalogue these programs stand for (catalog/jobs.ts). */
export interface ExporterJobs {
  readonly node: string;
  readonly postgres: string;
  readonly redis: string;
  readonly blackbox: string;
}

function program(name: string, packageName: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new O11yError(`${name} is not installed`, {
      id: 'e2e/missing-program',
      hint: `run \`npm run setup\` (it installs the Debian package ${packageName}), or as root: apt-get install ${packageName}`,
    });
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the package made. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function startPostgres(
  dir: string,
  user: { uid: number; gid: number } | undefined,
): Promise<RunningServer> {
  const bin = execFileSync(program('pg_config', 'postgresql'), ['--bindir'], { encoding: 'utf8' }).trim();
  await mkdir(dir, { recursive: true });
  if (user) chownSync(dir, user.uid, user.gid);
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8'],
    { stdio: 'pipe', ...user },
  );
  return startServer({
    binary: path.join(bin, 'postgres'),
    args: (port) => [
      '-D',
      dir,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=20',
    ],
    ready: accepts,
    ...user,
  });
}

function startRedis(dir: string): Promise<RunningServer> {
  return startServer({
    binary: program('redis-server', 'redis-server'),
    args: (port) => [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    ready: accepts,
  });
}

/**
 * postgres_exporter 0.11 (Debian's) has no replication collector; these are the two series newer
 * releases' collector exposes, which the catalogue declares (pg_replication_lag_seconds, _is_replica).
 */
const REPLICATION_QUERIES = {
  pg_replication: {
    query:
      'SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))) END AS lag_seconds, CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS is_replica',
    master: true,
    metrics: [
      { lag_seconds: { usage: 'GAUGE', description: 'Replication lag behind master in seconds' } },
      { is_replica: { usage: 'GAUGE', description: 'Indicates if the server is a replica' } },
    ],
  },
};

const exporter = (
  binary: string,
  packageName: string,
  args: readonly string[],
  env?: Record<string, string>,
) =>
  startServer({
    binary: program(binary, packageName),
    args: (port) => [`--web.listen-address=127.0.0.1:${port}`, ...args],
    readyPath: '/metrics',
    ...(env && { env }),
  });

/** The probe module the organisation's blackbox job asks for, probing plain HTTP over IPv4. */
function blackboxConfig(modules: readonly string[]): string {
  return stringify({
    modules: Object.fromEntries(
      modules.map((name) => [
        name,
        { prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4' } },
      ]),
    ),
  });
}

export async function startRealExporters(
  work: string,
  jobs: ExporterJobs,
  probe: { readonly modules: readonly string[]; readonly targets: readonly string[] },
): Promise<RealExporters> {
  const user = postgresUser();
  await mkdir(work, { recursive: true });
  // A directory of its own that the postgres user can reach (the harness's scratch directory is private).
  const postgresDir = await mkdtemp(path.join(os.tmpdir(), 'o11y-e2e-postgres-'));
  if (user) await chmod(postgresDir, 0o711);
  const running: Array<{ name: string; server: RunningServer }> = [];
  const stop = async () => {
    for (const { server } of running.reverse()) await server.stop().catch(() => {});
    await rm(postgresDir, { recursive: true, force: true });
  };
  const track = async (name: string, started: Promise<RunningServer>) => {
    const server = await started;
    running.push({ name, server });
    return server;
  };
  try {
    const postgres = await track('PostgreSQL', startPostgres(path.join(postgresDir, 'data'), user));
    const redisDir = path.join(work, 'redis');
    await mkdir(redisDir, { recursive: true });
    const redis = await track('Redis', startRedis(redisDir));
    const blackboxFile = path.join(work, 'blackbox.yml');
    await writeFile(blackboxFile, blackboxConfig(probe.modules));
    const queriesFile = path.join(work, 'postgres-queries.yml');
    await writeFile(queriesFile, stringify(REPLICATION_QUERIES));
    const exporters = {
      [jobs.node]: await track(
        'node_exporter',
        exporter('prometheus-node-exporter', 'prometheus-node-exporter', []),
      ),
      [jobs.postgres]: await track(
        'postgres_exporter',
        exporter(
          'prometheus-postgres-exporter',
          'prometheus-postgres-exporter',
          [`--extend.query-path=${queriesFile}`],
          {
            DATA_SOURCE_NAME: `postgresql://postgres@127.0.0.1:${postgres.port}/postgres?sslmode=disable`,
          },
        ),
      ),
      [jobs.redis]: await track(
        'redis_exporter',
        exporter('prometheus-redis-exporter', 'prometheus-redis-exporter', [
          `--redis.addr=redis://127.0.0.1:${redis.port}`,
        ]),
      ),
    };
    const blackbox = await track(
      'blackbox_exporter',
      exporter('prometheus-blackbox-exporter', 'prometheus-blackbox-exporter', [
        `--config.file=${blackboxFile}`,
      ]),
    );
    const address = (server: RunningServer) => `127.0.0.1:${server.port}`;
    return {
      targets: [
        ...Object.entries(exporters).map(([job, server]) => ({
          job,
          kind: 'exporter' as const,
          address: address(server),
          metricsPath: '/metrics',
        })),
        {
          job: jobs.blackbox,
          kind: 'blackbox' as const,
          address: address(blackbox),
          metricsPath: '/probe',
          probeTargets: probe.targets,
        },
      ],
      metricsUrls: new Map([
        ...Object.entries(exporters).map(([job, server]) => [job, `${server.url}/metrics`] as const),
        [
          jobs.blackbox,
          `${blackbox.url}/probe?module=${probe.modules[0]}&target=${encodeURIComponent(probe.targets[0]!)}`,
        ],
      ]),
      logs: (lines = 15) =>
        running
          .map(({ name, server }) => `--- ${name} (last ${lines} lines)\n${server.logTail(lines)}`)
          .join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
