/**
 * Progress on stderr. On a terminal: one line, redrawn in place (\r) on every step and once a second,
 * with the phase, what runs now, a bar and the time left. Elsewhere (CI logs, pipes): a plain line per
 * phase, per preparation step and per tenth of the measuring, so a log stays short and never waits.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressLine {
  phase: string;
  detail: string;
  /** 0 to 1, when the phase can tell. */
  fraction: number | undefined;
  elapsedMs: number;
}

const barWidth = 24;

export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** What is left, from the pace so far: elapsed × (1 − f) / f. */
export function remainingMs(fraction: number, elapsedMs: number): number | undefined {
  return fraction > 0 && fraction <= 1 ? (elapsedMs * (1 - fraction)) / fraction : undefined;
}

export function renderProgressLine(line: ProgressLine, columns: number): string {
  const parts = [line.phase];
  if (line.fraction !== undefined) {
    const filled = Math.round(Math.min(1, Math.max(0, line.fraction)) * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${String(Math.floor(line.fraction * 100)).padStart(3)}%`);
  }
  parts.push(line.detail);
  const left = line.fraction === undefined ? undefined : remainingMs(line.fraction, line.elapsedMs);
  parts.push(left === undefined ? `${formatClock(line.elapsedMs)} so far` : `${formatClock(left)} left`);
  const text = parts.join('  ');
  // One column short of the width: writing the last column makes some terminals wrap.
  const room = Math.max(10, columns - 1);
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

export class Progress {
  private phase = '';
  private detail = '';
  private fraction: number | undefined;
  private phaseStarted = 0;
  private printedTenth = -1;
  private ticker: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  private line(): string {
    return renderProgressLine(
      { phase: this.phase, detail: this.detail, fraction: this.fraction, elapsedMs: this.now() - this.phaseStarted },
      // A log has no width to fit; only a terminal does (a pseudo-terminal may report 0 columns).
      this.interactive ? this.stream.columns || 100 : 200,
    );
  }

  private draw(): void {
    this.stream.write(`\r${this.line()}\x1b[K`);
    this.drawn = true;
  }

  startPhase(phase: string): void {
    this.phase = phase;
    this.detail = '';
    this.fraction = undefined;
    this.phaseStarted = this.now();
    this.printedTenth = -1;
    if (this.interactive && this.ticker === undefined) {
      this.ticker = setInterval(() => this.draw(), 1000);
      // The bar never keeps the process alive.
      this.ticker.unref();
    }
  }

  /** `done` of `total` steps finished; leave them out where the phase cannot count. */
  update(detail: string, done?: number, total?: number): void {
    this.detail = detail;
    this.fraction = done !== undefined && total !== undefined && total > 0 ? done / total : undefined;
    if (this.interactive) {
      this.draw();
      return;
    }
    const tenth = this.fraction === undefined ? undefined : Math.floor(this.fraction * 10);
    if (tenth === undefined || tenth > this.printedTenth) {
      if (tenth !== undefined) this.printedTenth = tenth;
      this.stream.write(`${this.line()}\n`);
    }
  }

  /** A line of its own, above the bar. */
  log(text: string): void {
    if (this.interactive && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${text}\n`);
    if (this.interactive && this.drawn) this.draw();
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.interactive && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
