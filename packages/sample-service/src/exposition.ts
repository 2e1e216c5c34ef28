/** The metric family a sample line or metadata line of the text exposition format belongs to. */
function familyOf(line: string): string | undefined {
  const metadata = /^# (?:HELP|TYPE|UNIT) (\S+)/.exec(line);
  if (metadata) return metadata[1];
  if (line.startsWith('#') || line.trim() === '') return undefined;
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
}

const SAMPLE_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_info'];

/** Whether a sample's name belongs to family `name` (`x_bucket` to the histogram `x`). */
function belongsTo(sample: string, name: string): boolean {
  return (
    sample === name ||
    // OpenMetrics names a counter's family without `_total` (`# TYPE x counter`, samples `x_total`).
    name === `${sample}_total` ||
    SAMPLE_SUFFIXES.some((suffix) => sample === `${name}${suffix}`)
  );
}

/**
 * The exposition without the families named in `hidden`, for the "stop exposing a metric" fault.
 * Works on the text any client library printed, so prom-client, OpenTelemetry and the synthetic
 * exporters share it.
 */
export function withoutFamilies(text: string, hidden: ReadonlySet<string>): string {
  if (hidden.size === 0) return text;
  const names = [...hidden];
  return text
    .split('\n')
    .filter((line) => {
      const family = familyOf(line);
      return family === undefined || !names.some((name) => belongsTo(family, name));
    })
    .join('\n');
}
