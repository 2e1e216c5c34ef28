import { existsSync } from 'node:fs';
import path from 'node:path';
import { O11yError } from './errors.ts';
import { projectRootOf } from './source.ts';

export type ToolName = 'promtool' | 'prometheus' | 'amtool' | 'alertmanager' | StackToolName;
/** The end-to-end stack's programs, which `npm run setup --minimal` does not build. */
type StackToolName = 'cortex' | 'jaeger' | 'otelcol';
const STACK_TOOLS: readonly string[] = ['cortex', 'jaeger', 'otelcol'] satisfies StackToolName[];

/** The pinned Prometheus/Alertmanager programs (and the e2e stack's) `npm run setup` builds into `.tools/bin`. */
export function toolPath(name: ToolName, root = projectRootOf(process.cwd())): string {
  const candidate = path.join(root, '.tools', 'bin', name);
  if (!existsSync(candidate)) {
    throw new O11yError(`${name} is not installed in ${path.join('.tools', 'bin')}`, {
      id: 'toolchain/missing',
      hint: STACK_TOOLS.includes(name)
        ? 'run `npm run setup` (not --minimal), or `node scripts/toolchain.mjs --stack`, to build the pinned Cortex, Jaeger and OpenTelemetry Collector'
        : 'run `npm run toolchain` (or `npm run setup`) to build the pinned Prometheus and Alertmanager tools',
    });
  }
  return candidate;
}
