// `npm run bench` (second part): `o11y lint` on rule files nobody here wrote, against the pinned
// `promtool check rules` on the same files: 1,000 files of 10 rules, and one file of 10,000 rules.
// Both run as whole processes under /usr/bin/time (wall seconds, peak RSS). Prints figures; asserts
// nothing. `--keep <dir>` writes the files there and keeps them, to time them with other tools.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toolPath } from '@o11y/core';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = path.join(root, 'packages', 'cli', 'bin', 'o11y.mjs');
const FILES = 1_000;
const RULES_PER_FILE = 10;
const RULES_IN_ONE_FILE = 10_000;

/** Ten rules shaped like those of public alert collections and Kubernetes monitoring stacks. */
function ruleShapes(n: number): string[] {
  const job = `app-${n}`;
  const annotations = (summary: string) =>
    `        annotations: {summary: "${summary}", description: "{{ $labels.instance }} of {{ $labels.job }}: {{ $value | humanize }}"}`;
  const alert = (name: string, expr: string, labels = 'severity: warning') =>
    [
      `      - alert: ${name}${n}`,
      `        expr: ${JSON.stringify(expr)}`,
      '        for: 5m',
      `        labels: {${labels}}`,
      annotations(name),
    ].join('\n');
  return [
    `      - record: job:http_requests:rate5m_${n}\n        expr: sum without (instance) (rate(http_requests_total{job="${job}"}[5m]))`,
    `      - record: job:http_request_errors:ratio_rate5m_${n}\n        expr: sum by (job) (rate(http_requests_total{job="${job}", code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="${job}"}[5m]))`,
    alert('TargetDown', `up{job="${job}"} == 0`, 'severity: critical'),
    alert('TargetAbsent', `absent(up{job="${job}"})`, 'severity: critical'),
    alert(
      'FilesystemAlmostFull',
      `(node_filesystem_avail_bytes{job="${job}", fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{job="${job}", fstype!~"tmpfs|overlay"}) * 100 < 10 and on (instance, device, mountpoint) node_filesystem_readonly{job="${job}"} == 0`,
    ),
    alert(
      'FilesystemFillsIn4h',
      `predict_linear(node_filesystem_free_bytes{job="${job}"}[6h], 4 * 3600) < 0`,
    ),
    alert(
      'ContainerCpuHigh',
      `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{job="${job}", container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu"}) > 0.9`,
    ),
    alert(
      'LatencyHigh',
      `histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="${job}"}[5m]))) > 1`,
    ),
    alert('PodRestarting', `increase(kube_pod_container_status_restarts_total{job="${job}"}[1h]) > 3`),
    alert(
      'ReplicasMismatch',
      `kube_deployment_spec_replicas{job="${job}"} != on (namespace, deployment) kube_deployment_status_replicas_available{job="${job}"}`,
    ),
  ];
}

function ruleFile(groups: number, firstShape: number): string {
  const lines = ['groups:'];
  for (let g = 0; g < groups; g++) {
    lines.push(`  - name: group-${firstShape + g}`, '    rules:', ...ruleShapes(firstShape + g));
  }
  return `${lines.join('\n')}\n`;
}

interface Figures {
  readonly seconds: number;
  readonly mib: number;
  readonly status: number | null;
}

function timed(command: string, args: readonly string[]): Figures {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const [seconds, kib] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? Number.NaN, mib: (kib ?? Number.NaN) / 1024, status: run.status };
}

const { values } = parseArgs({ options: { keep: { type: 'string' } } });
const scratch = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(tmpdir(), 'o11y-foreign-'));
const folder = path.join(scratch, 'files');
mkdirSync(folder, { recursive: true });
const files = Array.from({ length: FILES }, (_, i) => {
  const file = path.join(folder, `rules-${String(i).padStart(4, '0')}.yml`);
  writeFileSync(file, ruleFile(RULES_PER_FILE / ruleShapes(0).length, i));
  return file;
});
const single = path.join(scratch, 'rules-10000.yml');
writeFileSync(single, ruleFile(RULES_IN_ONE_FILE / ruleShapes(0).length, 0));

const promtool = toolPath('promtool');
const row = (about: string, ours: Figures, theirs: Figures) =>
  `  ${about}: o11y lint ${ours.seconds.toFixed(2)} s, ${ours.mib.toFixed(0)} MiB (exit ${ours.status}); ` +
  `promtool check rules ${theirs.seconds.toFixed(2)} s, ${theirs.mib.toFixed(0)} MiB (exit ${theirs.status}); ` +
  `wall ratio ${(ours.seconds / theirs.seconds).toFixed(1)}×`;
console.log(`foreign rule files (load average ${loadavg()[0]?.toFixed(1)}):`);
console.log(
  row(
    `${FILES} files of ${RULES_PER_FILE} rules`,
    timed(process.execPath, [cli, 'lint', folder]),
    timed(promtool, ['check', 'rules', ...files]),
  ),
);
console.log(
  row(
    `1 file of ${RULES_IN_ONE_FILE} rules`,
    timed(process.execPath, [cli, 'lint', single]),
    timed(promtool, ['check', 'rules', single]),
  ),
);
if (!values.keep) rmSync(scratch, { recursive: true, force: true });
