import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type Formatters,
  formatDiagnostic,
  O11yError,
  paint,
  type TestReport,
  writeFileAtomic,
} from '@o11y/core';
import { parseCommandArgs } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { junitXml } from '../junit.ts';
import { chooseFormat } from '../options.ts';
import { progress } from '../progress.ts';

/** One suite as it finishes (human), or every suite in one document at the end (json). */
const FORMATS = {
  human: (report, colour) =>
    [
      `${paint(report.suite, 'bold', colour)}\n`,
      ...report.cases.map((result) => {
        const mark = result.passed ? paint('ok  ', 'green', colour) : paint('FAIL', 'red', colour);
        const failure = result.failure
          ? `       ${formatDiagnostic(result.failure).replaceAll('\n', '\n       ')}\n`
          : '';
        return `  ${mark} ${result.name}\n${failure}`;
      }),
      ...(report.summary ?? []).map((line) => `  ${line}\n`),
    ].join(''),
  json: (report) => `${JSON.stringify(report)}\n`,
} satisfies Formatters<TestReport, boolean>;

export const command: Command = {
  name: 'test',
  summary:
    'run the promtool rule tests, rule-test coverage and Alertmanager routing/inhibition tests on dist/',
  help: `Usage: o11y test [--dist <dir>] [--run <text>] [--junit <file>] [--format human|json]

Runs every test suite of the built organisation against the real pinned tools: promtool unit tests
(with rule-test coverage, which must be 100%), Alertmanager routing tests through amtool, routing
coverage of every alert, and inhibition tests against a real Alertmanager on 127.0.0.1.
Run \`o11y build\` first.

Options:
  --dist <dir>     the built output to test (default: dist)
  --run <text>     only tests whose name contains <text>
  --junit <file>   also write a JUnit XML report
  --format <f>     human (default), or json: one JSON report per suite per line, then the totals

Progress goes to stderr: one line redrawn in place on a terminal (suite, count, time elapsed), a
line per finished suite otherwise. Prints "N passed, N failed" last. Exit codes: 0 all passed, 1 a test failed, 2 usage or internal error.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      dist: { type: 'string' },
      run: { type: 'string' },
      junit: { type: 'string' },
      format: { type: 'string' },
    });
    // The testers' libraries are imported when the verb runs, so that `o11y --help` does not load them;
    // before chooseFormat, which registers the TypeScript loader.
    const { testers } = await import('../testers.ts');
    const format = await chooseFormat(FORMATS, values.format, 'test', io.root);
    const distDir = path.resolve(io.root, values.dist ?? 'dist');
    if (!existsSync(path.join(distDir, 'manifest.json'))) {
      throw new O11yError(`${path.relative(io.root, distDir) || distDir} holds no build`, {
        id: 'test/no-build',
        hint: 'run `o11y build` first',
      });
    }
    const reports: TestReport[] = [];
    const steps = progress({
      verb: 'o11y test',
      steps: testers.length,
      write: io.stderr,
      tty: Boolean(process.stderr.isTTY),
    });
    for (const tester of testers) {
      const report = await steps.step(tester.name, async (count) => {
        const done = await tester.run(distDir, {
          root: io.root,
          log: steps.log,
          ...(values.run !== undefined && { filter: values.run }),
        });
        const failed = done.cases.filter((c) => !c.passed).length;
        count(`${done.cases.length} tests, ${failed} failed`);
        return done;
      });
      reports.push(report);
      io.stdout(FORMATS[format](report, io.colour));
    }
    if (values.junit) await writeFileAtomic(path.resolve(io.root, values.junit), junitXml(reports));
    const cases = reports.flatMap((r) => r.cases);
    const failed = cases.filter((c) => !c.passed).length;
    io.stdout(
      format === 'json'
        ? `${JSON.stringify({ passed: cases.length - failed, failed })}\n`
        : `${cases.length - failed} passed, ${failed} failed\n`,
    );
    return failed > 0 ? EXIT.findings : EXIT.ok;
  },
};
