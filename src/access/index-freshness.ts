// Whether the access index may answer. It is behind when the log holds a commit it has not applied (one this
// process made, or one a notification or a read of the log revealed); it cannot tell when its catch-ups fail.
// It answers while it is behind by less than the allowed lag and catching up; it refuses (fails closed) once it is
// behind by more, as soon as it is behind and cannot catch up, and once catch-ups have failed for longer than
// the allowed lag (it can no longer vouch for what it holds).

export type FreshnessState =
  { answers: true } | { answers: false; reason: string; behindMs: number; lastError: string | undefined };

const ANSWERS: FreshnessState = Object.freeze({ answers: true });

export class IndexFreshness {
  /** The highest seq known to be committed. */
  private knownSeq: number;
  private appliedSeq: number;
  /** Since when a known commit is not applied; undefined when none is. */
  private behindSince: number | undefined;
  /** Since when catch-ups fail (the first failure after the last success); undefined when the last succeeded. */
  private failingSince: number | undefined;
  private lastError: string | undefined;

  constructor(
    readonly maxLagMs: number,
    appliedSeq: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.knownSeq = appliedSeq;
    this.appliedSeq = appliedSeq;
  }

  noteCommitted(seq: number): void {
    if (seq <= this.knownSeq) return;
    this.knownSeq = seq;
    if (seq > this.appliedSeq) this.behindSince ??= this.clock();
  }

  /** A catch-up succeeded: everything up to `appliedSeq` is applied, and the log was read to its end. */
  noteCaughtUp(appliedSeq: number): void {
    this.appliedSeq = Math.max(this.appliedSeq, appliedSeq);
    this.knownSeq = Math.max(this.knownSeq, this.appliedSeq);
    this.failingSince = undefined;
    this.lastError = undefined;
    this.behindSince = this.knownSeq > this.appliedSeq ? this.clock() : undefined;
  }

  noteFailure(err: unknown): void {
    this.failingSince ??= this.clock();
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  /** True while catch-ups fail (since the first failure after the last success). */
  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  state(): FreshnessState {
    // The common case, asked on every check: up to date and not failing, with no clock to read.
    if (this.behindSince === undefined && this.failingSince === undefined) return ANSWERS;
    const now = this.clock();
    const behindMs = this.behindSince === undefined ? 0 : now - this.behindSince;
    const failingMs = this.failingSince === undefined ? 0 : now - this.failingSince;
    const refuse = (reason: string): FreshnessState => ({
      answers: false,
      reason,
      behindMs: Math.max(behindMs, failingMs),
      lastError: this.lastError,
    });
    if (this.behindSince !== undefined && this.failingSince !== undefined)
      return refuse('it is behind the audit log and cannot catch up');
    if (behindMs > this.maxLagMs) return refuse(`it is ${behindMs} ms behind the audit log`);
    if (failingMs > this.maxLagMs)
      return refuse(`it has not been able to read the audit log for ${failingMs} ms`);
    return ANSWERS;
  }
}
