import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  checkpointMac,
  eventMac,
  eventMacInput,
  isoOfMicros,
  keyCheckValue,
  microsOf,
  NotCanonicalError,
  sealMac,
  strictCanonicalJson,
  type StoredEvent,
} from './audit-chain.js';

const key = randomBytes(32);

const row: Omit<StoredEvent, 'hash'> = {
  id: 'evt_1',
  seq: '7',
  type: 'user.created',
  actorId: 'usr_1',
  subjects: [{ type: 'user', id: 'usr_2' }],
  subjectIds: ['usr_2'],
  data: { name: 'Ada', roles: ['admin'], n: 1 },
  createdAtUs: '1767225600123000',
  prevHash: 'a'.repeat(64),
};

describe('canonical JSON', () => {
  it('is independent of key order at every depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
        expect(strictCanonicalJson(JSON.parse(JSON.stringify(reversed)))).toBe(canonicalJson(obj));
      }),
    );
  });

  it('refuses what JSON cannot carry instead of printing it as null', () => {
    for (const v of [Infinity, -Infinity, NaN, undefined, new Date(0), [undefined], 1n, () => 1])
      expect(() => strictCanonicalJson(v), String(v)).toThrow(NotCanonicalError);
    // A sparse array would otherwise print its holes as nothing.
    expect(() => strictCanonicalJson(new Array(2))).toThrow(NotCanonicalError);
  });
});

describe('event MAC', () => {
  it('covers every stored column: changing any one of them changes the MAC', () => {
    const mac = eventMac(key, row);
    const changes: { [K in keyof typeof row]: (typeof row)[K] } = {
      id: 'evt_2',
      seq: '8',
      type: 'user.updated',
      actorId: null,
      subjects: [{ type: 'group', id: 'usr_2' }],
      subjectIds: ['usr_3'],
      data: { name: 'Ada', roles: ['admin'], n: 2 },
      createdAtUs: '1767225600123001',
      prevHash: 'b'.repeat(64),
    };
    for (const field of Object.keys(changes) as (keyof typeof row)[])
      expect(eventMac(key, { ...row, [field]: changes[field] }), field).not.toBe(mac);
  });

  it('differs under a different key, and is a 64-digit hex HMAC', () => {
    expect(eventMac(key, row)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventMac(randomBytes(32), row)).not.toBe(eventMac(key, row));
  });

  it('has a canonical form that gives back every column, so no two rows share it', () => {
    const text = fc.string({ unit: 'binary' });
    const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const rows = fc.record({
      id: text,
      seq: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
      type: text,
      actorId: fc.option(text, { nil: null }),
      subjects: json,
      subjectIds: fc.array(fc.option(text, { nil: null })),
      data: json,
      createdAtUs: fc.oneof(fc.bigInt().map(String), fc.constantFrom('Infinity', '-Infinity')),
      prevHash: text,
    });
    fc.assert(
      fc.property(rows, (r) => {
        const [label, ...fields] = JSON.parse(eventMacInput(r)) as unknown[];
        expect(label).toBe('latch.audit.event.v1');
        expect(fields).toEqual([
          r.id,
          r.seq,
          r.type,
          r.actorId,
          r.subjects,
          r.subjectIds,
          r.data,
          r.createdAtUs,
          r.prevHash,
        ]);
      }),
    );
  });

  it('tells apart values that print alike elsewhere', () => {
    const pairs: [Partial<StoredEvent>, Partial<StoredEvent>][] = [
      [{ subjectIds: ['a,b'] }, { subjectIds: ['a', 'b'] }],
      [{ subjectIds: [null] }, { subjectIds: ['null'] }],
      [{ actorId: null }, { actorId: 'null' }],
      [{ data: { n: 1 } }, { data: { n: '1' } }],
      [{ data: { n: 1 } }, { data: '{"n":1}' }],
      [{ data: {} }, { data: [] }],
      [{ data: { a: { b: 1 } } }, { data: { 'a.b': 1 } }],
      [
        { type: 'x', id: 'y' },
        { type: 'x","y', id: '' },
      ],
      [{ type: '\u2028' }, { type: '\\u2028' }],
      [{ type: '\ud800' }, { type: '\ufffd' }],
      [{ createdAtUs: '1' }, { createdAtUs: '01' }],
    ];
    for (const [a, b] of pairs)
      expect(eventMac(key, { ...row, ...a }), JSON.stringify([a, b])).not.toBe(
        eventMac(key, { ...row, ...b }),
      );
  });
});

describe('checkpoints, seal and key check', () => {
  it('are separated from each other and from events by their labels', () => {
    const hash = 'c'.repeat(64);
    const macs = [
      checkpointMac(key, { seq: '1', hash, createdAtUs: '0' }),
      sealMac(key, 1, hash),
      keyCheckValue(key),
      eventMac(key, row),
    ];
    expect(new Set(macs).size).toBe(macs.length);
    expect(checkpointMac(randomBytes(32), { seq: '1', hash, createdAtUs: '0' })).not.toBe(macs[0]);
    expect(checkpointMac(key, { seq: '1', hash, createdAtUs: '1000' })).not.toBe(macs[0]);
    expect(sealMac(key, 2, hash)).not.toBe(macs[1]);
    expect(keyCheckValue(randomBytes(32))).not.toBe(macs[2]);
  });

  it('record times in microseconds, and give back whole milliseconds only', () => {
    const at = new Date('2026-01-01T00:00:00.123Z');
    expect(microsOf(at)).toBe('1767225600123000');
    expect(isoOfMicros(microsOf(at))).toBe(at.toISOString());
    expect(isoOfMicros('-500000')).toBe('1969-12-31T23:59:59.500Z');
    for (const us of ['1767225600123001', 'Infinity', '', '9'.repeat(30)]) expect(isoOfMicros(us)).toBeNull();
  });
});
