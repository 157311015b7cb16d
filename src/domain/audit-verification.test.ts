import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointMac,
  eventMac,
  GENESIS_HASH,
  hashEvent,
  isoOfMicros,
  sealAfter,
  type ChainSeal,
  type ChainState,
  type StoredCheckpoint,
  type StoredEvent,
} from './audit-chain.js';
import { ChainWalk, type VerifyFailure } from './audit-verification.js';

const key = randomBytes(32);

/** Rows as the unkeyed writer left them, then as the keyed writer does after a seal at `unkeyed`. */
function chain(unkeyed: number, keyed: number, k = key) {
  const events: StoredEvent[] = [];
  let prev: ChainState = { seq: 0, hash: GENESIS_HASH };
  let seal: ChainSeal | null = null;
  for (let seq = 1; seq <= unkeyed + keyed; seq++) {
    if (seq === unkeyed + 1) seal = sealAfter(k, prev);
    const e = {
      id: `evt_${seq}`,
      seq: String(seq),
      type: 'user.created',
      actorId: seq % 2 ? null : 'usr_a',
      subjects: [{ type: 'user', id: `usr_${seq}` }],
      subjectIds: [`usr_${seq}`],
      data: { n: seq },
      createdAtUs: String(BigInt(seq) * 1_000_000n),
      prevHash: prev.hash,
    };
    events.push({ ...e, hash: seal ? eventMac(k, e) : unkeyedHash(e) });
    prev = { seq, hash: events[seq - 1]!.hash };
  }
  return { events, seal, head: prev };
}

function unkeyedHash(e: Omit<StoredEvent, 'hash'>): string {
  return hashEvent({
    id: e.id,
    seq: Number(e.seq),
    type: e.type,
    actorId: e.actorId,
    subjects: e.subjects as { type: string; id: string }[],
    data: e.data,
    createdAt: isoOfMicros(e.createdAtUs)!,
    prevHash: e.prevHash,
  });
}

const checkpoint = (at: ChainState, k = key): StoredCheckpoint => {
  const c = { seq: String(at.seq), hash: at.hash, createdAtUs: '1000' };
  return { ...c, mac: checkpointMac(k, c) };
};

/** Walks like the store does: each checkpoint once the chain has reached its seq, the rest at the end. */
function walk(
  events: StoredEvent[],
  seal: ChainSeal | null,
  head: ChainState,
  checkpoints: StoredCheckpoint[] = [],
): VerifyFailure | null {
  const w = new ChainWalk(key, seal);
  const pending = [...checkpoints];
  const feed = (upto: number) => {
    while (pending.length && Number(pending[0]!.seq) <= upto) {
      const f = w.checkpoint(pending.shift()!);
      if (f) return f;
    }
    return null;
  };
  for (const e of events) {
    const f = feed(w.position.seq) ?? w.event(e) ?? feed(w.position.seq);
    if (f) return f;
  }
  return feed(Infinity) ?? w.end(head);
}

/** Recomputes every hash from `from` on, as an attacker would: by the unkeyed rule, or by the keyed one. */
function rehash(events: StoredEvent[], from: number, by: (e: Omit<StoredEvent, 'hash'>) => string) {
  const out = events.map((e) => ({ ...e }));
  for (let i = from - 1; i < out.length; i++) {
    if (i > 0) out[i]!.prevHash = out[i - 1]!.hash;
    out[i]!.hash = by(out[i]!);
  }
  return { events: out, head: { seq: out.length, hash: out[out.length - 1]!.hash } };
}

describe('ChainWalk', () => {
  it('verifies an unkeyed part, the seal, a keyed part and checkpoints along it', () => {
    const { events, seal, head } = chain(4, 6);
    const cps = [checkpoint({ seq: 4, hash: events[3]!.hash }), checkpoint(head)];
    expect(walk(events, seal, head, cps)).toBeNull();
    expect(walk(chain(0, 5).events, chain(0, 5).seal, chain(0, 5).head)).toBeNull();
    expect(walk(chain(3, 0).events, null, chain(3, 0).head)).toBeNull();
  });

  it('catches an edited keyed event however the rest was re-hashed', () => {
    const { events, seal } = chain(2, 6);
    events[4]!.data = { n: 99 };
    const byUnkeyed = rehash(events, 5, unkeyedHash);
    expect(walk(byUnkeyed.events, seal, byUnkeyed.head)).toEqual({ seq: 5, reason: 'mac_mismatch' });
    const byOtherKey = rehash(events, 5, (e) => eventMac(randomBytes(32), e));
    expect(walk(byOtherKey.events, seal, byOtherKey.head)).toEqual({ seq: 5, reason: 'mac_mismatch' });
  });

  it('catches changed subject ids, before and after the seal', () => {
    const { events, seal, head } = chain(3, 3);
    const before = events.map((e) => ({ ...e }));
    before[1]!.subjectIds = ['usr_admin'];
    expect(walk(before, seal, head)).toEqual({ seq: 2, reason: 'hash_mismatch' });
    const after = events.map((e) => ({ ...e }));
    after[4]!.subjectIds = ['usr_2', 'usr_admin'];
    expect(walk(after, seal, head)).toEqual({ seq: 5, reason: 'mac_mismatch' });
  });

  it('catches an unkeyed event re-hashed up to the seal, through the seal checkpoint or the first keyed link', () => {
    const { events, seal, head } = chain(4, 2);
    const sealPoint = checkpoint({ seq: 4, hash: events[3]!.hash });
    events[1]!.data = { n: 'forged' };
    const rewritten = rehash(events.slice(0, 4), 2, unkeyedHash).events;
    const all = [...rewritten, ...events.slice(4)];
    expect(walk(all, seal, head, [sealPoint])).toEqual({ seq: 4, reason: 'checkpoint_mismatch' });
    expect(walk(all, seal, head)).toEqual({ seq: 5, reason: 'prev_hash_mismatch' });
  });

  it('catches a time the unkeyed writer could not have written, and values JSON cannot carry', () => {
    const { events, seal, head } = chain(2, 2);
    const subMs = events.map((e) => ({ ...e }));
    subMs[0]!.createdAtUs = '1000001';
    expect(walk(subMs, seal, head)).toEqual({ seq: 1, reason: 'hash_mismatch' });
    // A jsonb 1e400 reads back as Infinity, which plain JSON would print as the null that was signed.
    const withNull = rehash(
      events.map((e, i) => (i === 3 ? { ...e, data: { n: null } } : e)),
      4,
      (e) => eventMac(key, e),
    );
    expect(walk(withNull.events, seal, withNull.head)).toBeNull();
    withNull.events[3]!.data = { n: Infinity };
    expect(walk(withNull.events, seal, withNull.head)).toEqual({ seq: 4, reason: 'mac_mismatch' });
  });

  it('catches a moved seal', () => {
    const { events, seal, head } = chain(3, 3);
    expect(walk(events, { ...seal!, keyedFromSeq: 5 }, head)?.reason).toBe('hash_mismatch');
    expect(walk(events, { ...seal!, keyedFromSeq: 3 }, head)).toEqual({ seq: 3, reason: 'seal_mismatch' });
    expect(walk(events, null, head)).toEqual({ seq: 4, reason: 'hash_mismatch' });
  });

  it('catches a truncated log through a checkpoint beyond its end, even with the head moved back', () => {
    const { events, seal, head } = chain(0, 8);
    const cps = [checkpoint({ seq: 3, hash: events[2]!.hash }), checkpoint(head)];
    const kept = events.slice(0, 5);
    const movedHead = { seq: 5, hash: kept[4]!.hash };
    expect(walk(kept, seal, movedHead)).toBeNull();
    expect(walk(kept, seal, movedHead, cps)).toEqual({ seq: 6, reason: 'truncated' });
    expect(walk(kept, seal, head)).toEqual({ seq: 6, reason: 'head_mismatch' });
    // Cut before the seal: the walk never reaches the seal point.
    const old = chain(4, 2);
    expect(walk(old.events.slice(0, 2), old.seal, { seq: 2, hash: old.events[1]!.hash })).toEqual({
      seq: 3,
      reason: 'truncated',
    });
  });

  it('refuses a checkpoint with a forged MAC or one the chain does not pass through', () => {
    const { events, seal, head } = chain(0, 4);
    const forged = { ...checkpoint({ seq: 2, hash: events[1]!.hash }), mac: 'f'.repeat(64) };
    expect(walk(events, seal, head, [forged])).toEqual({ seq: 2, reason: 'checkpoint_mac_mismatch' });
    const byOtherKey = checkpoint({ seq: 2, hash: events[1]!.hash }, randomBytes(32));
    expect(walk(events, seal, head, [byOtherKey])?.reason).toBe('checkpoint_mac_mismatch');
    const elsewhere = checkpoint({ seq: 2, hash: events[2]!.hash });
    expect(walk(events, seal, head, [elsewhere])).toEqual({ seq: 2, reason: 'checkpoint_mismatch' });
  });

  it('catches gaps, swaps and broken links', () => {
    const { events, seal, head } = chain(0, 5);
    expect(walk([events[0]!, ...events.slice(2)], seal, head)).toEqual({ seq: 2, reason: 'seq_gap' });
    const swapped = [
      events[0]!,
      { ...events[2]!, seq: '2' },
      { ...events[1]!, seq: '3' },
      ...events.slice(3),
    ];
    expect(walk(swapped, seal, head)).toEqual({ seq: 2, reason: 'prev_hash_mismatch' });
    expect(walk(events, seal, { seq: 5, hash: 'f'.repeat(64) })).toEqual({ seq: 6, reason: 'head_mismatch' });
  });

  it('starts from a trusted checkpoint', () => {
    const { events, seal, head } = chain(2, 6);
    const w = new ChainWalk(key, seal, { seq: 5, hash: events[4]!.hash });
    for (const e of events.slice(5)) expect(w.event(e)).toBeNull();
    expect(w.end(head)).toBeNull();
    expect(w.checked).toBe(3);
  });
});
