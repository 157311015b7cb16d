import type { RowWindow } from '../../store/access-review-effects.js';

/** Rows per window when closing: a batch is at most this many rows, applied in a few set-based statements. */
const WINDOW = 5000;

/** The windows of row numbers that cover a campaign's rows, in order. */
export function* rowWindows(rowCount: number): Generator<RowWindow> {
  for (let from = 0; from < rowCount; from += WINDOW) yield { from, to: from + WINDOW };
}
