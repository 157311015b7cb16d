// The shape every worker here shares: run the work now, then sleep until the time the work says is next
// (capped, as a safety net for anything it was not told about), or until poked. Runs never overlap; pokes
// during a run cause exactly one more run after it.

export interface WakeLoopOptions {
  /** The longest sleep, even when nothing is due: a backstop scan. */
  maxSleepMs: number;
  /** The shortest gap between two runs, so work falling due every few ms is handled in batches. */
  minGapMs?: number;
  /** The wait after a run that failed (database gone, say) before trying again. */
  errorBackoffMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export class WakeLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastRunAt = -Infinity;

  /** `work` does what is due and returns when it next has something to do (null: nothing known). */
  constructor(
    private readonly work: () => Promise<Date | null>,
    private readonly opts: WakeLoopOptions,
  ) {}

  private now() {
    return this.opts.now?.() ?? Date.now();
  }

  /** Runs now (or right after the current run), then re-arms. */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop() {
    let next: number | null = null;
    do {
      this.again = false;
      this.lastRunAt = this.now();
      try {
        next = (await this.work())?.getTime() ?? null;
      } catch (err) {
        this.opts.onError?.(err);
        next = this.now() + (this.opts.errorBackoffMs ?? 1000);
      }
    } while (this.again && !this.closed);
    this.arm(next);
  }

  private arm(next: number | null) {
    if (this.closed) return;
    const now = this.now();
    const earliest = this.lastRunAt + (this.opts.minGapMs ?? 0);
    const at = next === null ? now + this.opts.maxSleepMs : Math.max(next, earliest);
    const delay = Math.min(Math.max(0, at - now), this.opts.maxSleepMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.poke();
    }, delay);
    this.timer.unref();
  }

  /** Stops waking and waits for a run in progress to finish. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
