import type { TestCaseResult } from '@o11y/core';
import { formatMatcher } from '../matchers.ts';
import { runTool } from '../tools.ts';
import type { RoutingCase } from './cases.ts';

const PARALLEL = 8;

/** Runs items through `run` with at most `limit` in flight, keeping their order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function runCase(amtool: string, configFile: string, test: RoutingCase): Promise<TestCaseResult> {
  const name = `routing: ${test.name}`;
  const fail = (message: string, hint?: string): TestCaseResult => ({
    name,
    passed: false,
    failure: {
      severity: 'error',
      message,
      source: test.source,
      id: 'alertmanager/routing',
      ...(hint && { hint }),
    },
  });
  if (test.receivers.length === 0)
    return fail('the case expects no receivers; every alert reaches at least one');
  const started = performance.now();
  const labels = Object.entries(test.labels).map(([label, value]) =>
    formatMatcher({ name: label, operator: '=', value }),
  );
  const expected = test.receivers.join(',');
  const result = await runTool(amtool, [
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    `--verify.receivers=${expected}`,
    ...labels,
  ]);
  const seconds = (performance.now() - started) / 1000;
  if (result.code === 0) return { name, passed: true, seconds };
  const [actual = '', ...rest] = result.output.split('\n');
  if (rest.some((line) => line.includes('Expected receivers did not match'))) {
    return {
      ...fail(
        `routes to ${actual || '(nothing)'} but the case expects ${expected}`,
        'receivers are listed in routing-tree order, as amtool prints them',
      ),
      seconds,
    };
  }
  return { ...fail(`amtool config routes test failed:\n${result.output}`), seconds };
}

/** Each case through the pinned `amtool config routes test --verify.receivers`. */
export function runRoutingCases(
  amtool: string,
  configFile: string,
  cases: readonly RoutingCase[],
): Promise<TestCaseResult[]> {
  return mapLimited(cases, PARALLEL, (test) => runCase(amtool, configFile, test));
}
