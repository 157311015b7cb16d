import { describe, expect, it } from 'vitest';
import { admitRefusal, isSpent, type RefusalWindow } from './refusal-window.js';

const WINDOW = 60_000;

describe('admitRefusal', () => {
  it('writes the first refusal at once, holds back the rest of the window and counts them into the next', () => {
    let window: RefusalWindow | undefined;
    const refuse = (at: number) => {
      const admitted = admitRefusal(window, at, WINDOW);
      window = admitted.window;
      return admitted.record;
    };
    expect(refuse(0)).toEqual({ count: 1, since: 0 });
    expect(refuse(1_000)).toBeNull();
    expect(refuse(30_000)).toBeNull();
    expect(refuse(59_999)).toBeNull();
    // The next event stands for itself and the three held back, the first of which came at 1 000.
    expect(refuse(60_000)).toEqual({ count: 4, since: 1_000 });
    expect(refuse(60_001)).toBeNull();
    // One held back comes out with the next refusal, however late; after that, an event stands for itself.
    expect(refuse(500_000)).toEqual({ count: 2, since: 60_001 });
    expect(refuse(900_000)).toEqual({ count: 1, since: 900_000 });
  });

  it('lets go of a window only when it holds nothing back and has closed', () => {
    const written = admitRefusal(undefined, 0, WINDOW).window;
    expect(isSpent(written, 59_999, WINDOW)).toBe(false);
    expect(isSpent(written, 60_000, WINDOW)).toBe(true);
    const holding = admitRefusal(written, 10, WINDOW).window;
    expect(isSpent(holding, 10 * WINDOW, WINDOW)).toBe(false);
  });
});
