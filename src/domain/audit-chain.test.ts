import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEvent, verifyStep, type ChainedEvent } from './audit-chain.js';

const chain = (n: number): ChainedEvent[] => {
  const out: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      id: `evt_${seq}`,
      seq,
      type: 't',
      actorId: null,
      subjects: [{ type: 'user', id: `u${seq}` }],
      data: { n: seq },
      createdAt: new Date(seq * 1000).toISOString(),
      prevHash,
    };
    const hashed = { ...e, hash: hashEvent(e) };
    out.push(hashed);
    prevHash = hashed.hash;
  }
  return out;
};

describe('canonical JSON', () => {
  it('is independent of key order at every depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('hash chain', () => {
  it('verifies an intact chain step by step', () => {
    let state = { seq: 0, hash: GENESIS_HASH };
    for (const e of chain(10)) {
      expect(verifyStep(state, e)).toBeNull();
      state = { seq: e.seq, hash: e.hash };
    }
  });

  it('catches a changed field, a gap and a broken link', () => {
    const events = chain(3);
    const first = events[0]!;
    expect(verifyStep({ seq: 0, hash: GENESIS_HASH }, { ...first, data: { n: 99 } })?.reason).toBe(
      'hash_mismatch',
    );
    expect(verifyStep({ seq: 0, hash: GENESIS_HASH }, events[1]!)?.reason).toBe('seq_gap');
    expect(verifyStep({ seq: 1, hash: 'f'.repeat(64) }, events[1]!)?.reason).toBe('prev_hash_mismatch');
  });
});
