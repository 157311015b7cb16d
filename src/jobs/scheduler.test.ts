import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpsDeps } from '../ops/shared/deps.js';
import type { DueSource } from './due-sources.js';
import { Scheduler } from './scheduler.js';

// The scheduler against fake sources and a clock the test moves: which sources it asks and processes on each
// wake. Asking can be expensive (a reminder rule's query scans the grants that expire soon), so a wake for one
// source's work must not ask or process the others.

const HOUR = 3_600_000;

interface FakeSource extends DueSource {
  asked: number;
  processed: number;
  /** The due time the source reports; processing clears it. */
  dueAt: number | null;
}

function fakeSource(name: string, dueAt: number | null, wakesOn: string): FakeSource {
  const source: FakeSource = {
    name,
    asked: 0,
    processed: 0,
    dueAt,
    nextDueAt: () => {
      source.asked++;
      return Promise.resolve(source.dueAt === null ? null : new Date(source.dueAt));
    },
    processDue: (_deps, now) => {
      source.processed++;
      if (source.dueAt !== null && source.dueAt <= now.getTime()) source.dueAt = null;
      return Promise.resolve({ count: 0, items: [] });
    },
    wakesOn: (type) => type === wakesOn,
  };
  return source;
}

let clock = Date.UTC(2025, 0, 1);
const deps = { now: () => new Date(clock) } as unknown as OpsDeps;
const schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.close()));
});

function start(sources: DueSource[], maxSleepMs = 10 * HOUR) {
  const scheduler = new Scheduler(deps, sources, { maxSleepMs, minGapMs: 0 });
  schedulers.push(scheduler);
  scheduler.start();
  return scheduler;
}

/** Waits until the counters stop moving: the wake (and any follow-up run) is over. */
async function settle(...sources: FakeSource[]) {
  let last = '';
  await vi.waitFor(() => {
    const now = JSON.stringify(sources.map((s) => [s.asked, s.processed]));
    const stable = now === last;
    last = now;
    if (!stable) throw new Error('still running');
  });
}

describe('Scheduler', () => {
  it('processes only the sources that are due, and asks each once per wake', async () => {
    const due = fakeSource('due', clock - 1000, 'a');
    const later = fakeSource('later', clock + HOUR, 'b');
    start([due, later]);
    await settle(due, later);
    expect(due.processed).toBe(1);
    expect(later.processed).toBe(0);
    expect(later.asked).toBe(1);
  });

  it('on a poke with events, asks again only the sources those events may bring forward', async () => {
    const a = fakeSource('a', clock + HOUR, 'grant.created');
    const b = fakeSource('b', clock + HOUR, 'request.created');
    const scheduler = start([a, b]);
    await settle(a, b);
    const [askedA, askedB] = [a.asked, b.asked];
    scheduler.poke([{ type: 'grant.created' }]);
    await settle(a, b);
    expect(a.asked).toBe(askedA + 1);
    expect(b.asked).toBe(askedB);
    scheduler.poke([{ type: 'grant.expired' }]);
    await settle(a, b);
    expect([a.asked, b.asked]).toEqual([askedA + 1, askedB]);
    expect([a.processed, b.processed]).toEqual([0, 0]);
  });

  it('asks every source again on a poke without events, and once its answer is older than the safety scan', async () => {
    const a = fakeSource('a', clock + HOUR, 'x');
    const b = fakeSource('b', null, 'y');
    const scheduler = start([a, b], HOUR / 2);
    await settle(a, b);
    scheduler.poke();
    await settle(a, b);
    expect([a.asked, b.asked]).toEqual([2, 2]);
    // The clock moves past the safety interval (not past a's due time): the next wake asks both again.
    clock += HOUR / 2 + 1;
    scheduler.poke([{ type: 'x' }]);
    await settle(a, b);
    expect([a.asked, b.asked]).toEqual([3, 3]);
    expect([a.processed, b.processed]).toEqual([0, 0]);
  });

  it('processes a source once the clock reaches the due time it gave, without asking it first', async () => {
    const a = fakeSource('a', clock + HOUR, 'x');
    const b = fakeSource('b', null, 'y');
    const scheduler = start([a, b]);
    await settle(a, b);
    expect([a.asked, a.processed]).toEqual([1, 0]);
    clock += HOUR;
    // Woken for b: a's due time, as known, has come.
    scheduler.poke([{ type: 'y' }]);
    await settle(a, b);
    expect(a.processed).toBe(1);
    // Asked once more, after processing, for its next due time.
    expect(a.asked).toBe(2);
  });

  it('runs a spaced source no sooner than its spacing after its last run, however often its work falls due', async () => {
    const spaced = fakeSource('spaced', clock - 1, 'grant.created');
    spaced.spacingMs = 30_000;
    // Each run leaves work due one second later, as reminders do when grants end every second.
    const processDue = spaced.processDue;
    spaced.processDue = async (deps, now, limit) => {
      const done = await processDue(deps, now, limit);
      spaced.dueAt = now.getTime() + 1000;
      return done;
    };
    const scheduler = start([spaced]);
    await settle(spaced);
    expect(spaced.processed).toBe(1);
    for (let second = 1; second < 30; second++) {
      clock += 1000;
      scheduler.poke([{ type: 'grant.created' }]);
      await settle(spaced);
    }
    expect(spaced.processed).toBe(1);
    // Woken 29 times within the spacing: asked only after its run, not once per wake.
    expect(spaced.asked).toBe(2);
    clock += 1000;
    scheduler.poke([{ type: 'grant.created' }]);
    await settle(spaced);
    expect(spaced.processed).toBe(2);
  });

  it('asks a spaced source woken by an event once its spacing since the last asking has passed', async () => {
    const spaced = fakeSource('spaced', null, 'grant.created');
    spaced.spacingMs = 30_000;
    const scheduler = start([spaced]);
    await settle(spaced);
    expect(spaced.asked).toBe(1);
    // A grant created now brings work due in a minute; the wake does not ask at once.
    spaced.dueAt = clock + 60_000;
    scheduler.poke([{ type: 'grant.created' }]);
    await settle(spaced);
    expect(spaced.asked).toBe(1);
    clock += 30_000;
    scheduler.poke();
    await settle(spaced);
    expect(spaced.asked).toBe(2);
    expect(spaced.processed).toBe(0);
    clock += 30_000;
    scheduler.poke();
    await settle(spaced);
    expect(spaced.processed).toBe(1);
  });
});
