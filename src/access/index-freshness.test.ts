import { describe, expect, it } from 'vitest';
import { IndexFreshness } from './index-freshness.js';

const at = (start = 0) => {
  const clock = { now: start };
  return { clock, tick: (ms: number) => (clock.now += ms) };
};

describe('IndexFreshness', () => {
  it('answers while up to date, and while behind by less than the allowed lag and catching up', () => {
    const { clock, tick } = at();
    const f = new IndexFreshness(2000, 10, () => clock.now);
    expect(f.state().answers).toBe(true);
    f.noteCommitted(11);
    tick(1999);
    expect(f.state().answers).toBe(true);
    tick(2);
    expect(f.state()).toMatchObject({ answers: false, reason: 'it is 2001 ms behind the audit log' });
    f.noteCaughtUp(11);
    expect(f.state().answers).toBe(true);
  });

  it('refuses at once when it is behind and a catch-up failed, until one succeeds', () => {
    const { clock, tick } = at();
    const f = new IndexFreshness(2000, 10, () => clock.now);
    f.noteCommitted(12);
    f.noteFailure(new Error('Connection terminated unexpectedly'));
    expect(f.state()).toMatchObject({ answers: false, lastError: 'Connection terminated unexpectedly' });
    tick(5000);
    expect(f.state().answers).toBe(false);
    f.noteCaughtUp(12);
    expect(f.state().answers).toBe(true);
  });

  it('refuses once catch-ups have failed for longer than the allowed lag, even with no known commit missing', () => {
    const { clock, tick } = at();
    const f = new IndexFreshness(2000, 10, () => clock.now);
    f.noteFailure(new Error('ECONNREFUSED'));
    tick(1000);
    f.noteFailure(new Error('ECONNREFUSED'));
    expect(f.state().answers).toBe(true);
    tick(1001);
    expect(f.state()).toMatchObject({ answers: false });
    f.noteCaughtUp(10);
    expect(f.state().answers).toBe(true);
  });

  it('ignores commits it has applied already', () => {
    const f = new IndexFreshness(0, 10, () => 0);
    f.noteCommitted(9);
    f.noteCommitted(10);
    expect(f.state().answers).toBe(true);
  });
});
