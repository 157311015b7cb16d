import {
  admitRefusal,
  isSpent,
  REFUSAL_WINDOW_MS,
  type RefusalRecord,
  type RefusalWindow,
} from '../../domain/refusal-window.js';

// The refusal windows by key, kept in memory in this process: each process of a cluster writes its own at most
// one event per key and window, and refusals held back when a process stops are not counted anywhere (the first
// refusal of every burst is always on record). Closed windows are dropped as others open, so the map holds only
// keys refused lately, and never more than MAX_KEYS.

const PRUNE_ABOVE = 1_000;
const MAX_KEYS = 10_000;

export class RefusalThrottle {
  private readonly windows = new Map<string, RefusalWindow>();
  constructor(private readonly windowMs = REFUSAL_WINDOW_MS) {}

  /** Notes a refusal for `key` at `now`: what the event to write stands for, or null to write none. */
  admit(key: string, now: Date): RefusalRecord | null {
    const at = now.getTime();
    if (this.windows.size > PRUNE_ABOVE)
      for (const [k, w] of this.windows) if (isSpent(w, at, this.windowMs)) this.windows.delete(k);
    // Under a flood of distinct keys, the oldest go first (a Map iterates in insertion order).
    for (const k of this.windows.keys()) {
      if (this.windows.size < MAX_KEYS) break;
      this.windows.delete(k);
    }
    const admitted = admitRefusal(this.windows.get(key), at, this.windowMs);
    this.windows.delete(key);
    this.windows.set(key, admitted.window);
    return admitted.record;
  }
}
