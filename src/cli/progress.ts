/**
 * A progress line on stderr for long work (bytes and rows read, rows/s, phase, ETA from bytes),
 * shown only when stderr is a terminal and `--quiet` is not set: no progress noise in pipes or logs.
 */
import type { TextSink } from './io';

/** Progress reporter; every method is a no-op when disabled. */
export class Progress {
  private total: number | null = null;
  private read = 0;
  private count = 0;
  private phase = 'reading';
  private readonly started: number;
  private last = 0;
  private shown = false;

  constructor(
    private readonly sink: TextSink,
    readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  start(totalBytes: number | null): void {
    this.total = totalBytes;
  }

  bytes(n: number): void {
    this.read += n;
    this.tick();
  }

  rows(n: number): void {
    this.count = n;
    this.tick();
  }

  setPhase(phase: string): void {
    this.phase = phase;
    this.tick(true);
  }

  private tick(force = false): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.last < 250) return;
    this.last = t;
    const secs = (t - this.started) / 1000;
    const rate = secs > 0 ? Math.round(this.count / secs) : 0;
    let eta = '';
    if (this.total && this.read > 0 && this.read < this.total && this.phase === 'reading') {
      eta = `, ETA ${Math.ceil((secs * (this.total - this.read)) / this.read)} s`;
    }
    const mb = (this.read / 1048576).toFixed(1);
    const of = this.total ? `/${(this.total / 1048576).toFixed(1)}` : '';
    void this.sink.write(`\r\u001b[K${this.phase}: ${this.count} rows, ${mb}${of} MB, ${rate} rows/s${eta}`);
    this.shown = true;
  }

  done(): void {
    if (this.enabled && this.shown) {
      void this.sink.write('\r\u001b[K');
      this.shown = false;
    }
  }
}
