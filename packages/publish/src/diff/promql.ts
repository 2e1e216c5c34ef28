import { init, PromQLParseError, prettify } from '@o11y/promql';

/**
 * PromQL as Prometheus's own prettifier lays it out (one operand per line on long expressions), so a
 * query diff shows the part that changed. An expression the parser rejects is shown as written.
 */
export async function promqlFormatter(): Promise<(expr: string) => string> {
  await init();
  return (expr) => {
    try {
      return prettify(expr);
    } catch (error) {
      if (error instanceof PromQLParseError) return expr;
      throw error;
    }
  };
}
