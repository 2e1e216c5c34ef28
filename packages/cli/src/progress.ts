/**
 * Progress of a verb's slow steps on stderr: on a terminal one line, redrawn every second, with the
 * step, its number, what it counted so far and the time elapsed; elsewhere (CI logs, pipes) one line
 * per finished step.
 */
export interface Progress {
  /** Runs one step; `count` says how far it got ("12 files"), shown while it runs and when it ends. */
  step<T>(label: string, work: (count: (text: string) => void) => Promise<T>): Promise<T>;
  /** A line of the step's own output, printed above the progress line. */
  log(line: string): void;
}

export interface ProgressOptions {
  /** e.g. `o11y test`. */
  readonly verb: string;
  readonly steps: number;
  readonly write: (text: string) => void;
  /** Redraw one line in place (a terminal) instead of printing a line per finished step. */
  readonly tty: boolean;
  readonly now?: () => number;
  readonly refreshMs?: number;
}

const CLEAR_LINE = '\r\u001b[K';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function progress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const { tty, write } = options;
  let index = 0;
  let redraw: (() => void) | undefined;
  return {
    async step(label, work) {
      index += 1;
      const prefix = `${options.verb}: [${index}/${options.steps}] ${label}`;
      const started = now();
      let counted = '';
      const line = () => `${prefix}${counted ? `, ${counted}` : ''}`;
      redraw = tty ? () => write(`${CLEAR_LINE}${line()} … ${seconds(now() - started)}`) : undefined;
      const timer = redraw && setInterval(redraw, options.refreshMs ?? 1000);
      timer?.unref();
      redraw?.();
      const end = (outcome: string) => {
        clearInterval(timer);
        redraw = undefined;
        write(`${tty ? CLEAR_LINE : ''}${line()}: ${outcome} ${seconds(now() - started)}\n`);
      };
      try {
        const result = await work((text) => {
          counted = text;
          redraw?.();
        });
        end('done in');
        return result;
      } catch (error) {
        end('failed after');
        throw error;
      }
    },
    log(text) {
      write(`${redraw ? CLEAR_LINE : ''}${text}\n`);
      redraw?.();
    },
  };
}
