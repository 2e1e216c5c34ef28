import { formatDiagnostic, type TestReport } from '@o11y/core';

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** JUnit XML, the format CI systems read test results from. */
export function junitXml(reports: readonly TestReport[]): string {
  const suites = reports.map((report) => {
    const failures = report.cases.filter((c) => !c.passed).length;
    const cases = report.cases.map((c) => {
      const time = c.seconds === undefined ? '' : ` time="${c.seconds.toFixed(3)}"`;
      const open = `    <testcase classname="${escapeXml(report.suite)}" name="${escapeXml(c.name)}"${time}`;
      if (c.passed) return `${open}/>`;
      const message = c.failure ? formatDiagnostic(c.failure) : 'failed';
      return `${open}>\n      <failure message="${escapeXml(message.split('\n')[0] ?? '')}">${escapeXml(message)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${escapeXml(report.suite)}" tests="${report.cases.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}
