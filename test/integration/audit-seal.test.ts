import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditKeyMismatchError, UnsealedChainError } from '../../src/domain/audit-chain.js';
import { ChainBrokenError } from '../../src/domain/audit-verification.js';
import { createLatch, type Latch } from '../../src/main.js';
import { bootstrapAdmin } from '../../src/ops/identity/bootstrap-admin.js';
import { runInTransaction } from '../../src/ops/shared/transaction.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import type { Store } from '../../src/store/connection.js';
import {
  readStoredEvents,
  rehashFrom,
  storedCheckpoints,
  unkeyedHash,
  writeUnkeyedEvents,
} from '../support/audit-tamper.js';
import { startHarness, testKeys } from '../support/harness.js';
import { cloneTestStore } from '../support/test-store.js';

// Start-up and the audit key: a key other than the one the log was sealed with stops the start, and a log
// written before Latch had a key is verified by the unkeyed rule and sealed on its first start with one.

const open: { latch?: Latch; store: Store }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.latch?.close();
    await o.store.close();
  }
});

async function oldStore(events: number) {
  const store = await cloneTestStore();
  open.push({ store });
  await writeUnkeyedEvents(store.db, events);
  return store;
}

async function start(store: Store, keys = testKeys()) {
  const latch = await createLatch(store, { keys, jobs: false });
  open.find((o) => o.store === store)!.latch = latch;
  return latch;
}

const head = async (store: Store) =>
  (
    await sql<{
      seq: number;
      keyed_from_seq: number | null;
    }>`select seq, keyed_from_seq from audit_head`.execute(store.db)
  ).rows[0]!;

describe('the audit key at start-up', () => {
  it('refuses to start, or to write an event, with a key other than the one the log was sealed with', async () => {
    const h = await startHarness();
    try {
      const wrong = testKeys();
      const start = createLatch(h.latch.store, { keys: wrong, jobs: false });
      await expect(start).rejects.toThrow(AuditKeyMismatchError);
      await expect(start).rejects.toThrow(/LATCH_AUDIT_KEY/);
      await expect(start).rejects.not.toThrow(wrong.audit.toString('base64'));
      const before = await head(h.latch.store);
      const write = runInTransaction({ ...h.latch.deps, keys: wrong }, async () => ({
        result: null,
        events: [{ type: 'user.created', actorId: null, subjects: [], data: {} }],
      }));
      await expect(write).rejects.toThrow(AuditKeyMismatchError);
      expect(await head(h.latch.store)).toEqual(before);
      expect(await verifyAuditLog({ ...h.latch.deps, keys: wrong })).toMatchObject({
        ok: false,
        reason: 'wrong_key',
      });
      // The right key still starts.
      await h.restart();
      expect(await verifyAuditLog(h.latch.deps)).toMatchObject({ ok: true });
    } finally {
      await h.close();
    }
  });
});

describe('a log written before the audit key', () => {
  it('is verified and sealed on the first start with a key, and verifies after', async () => {
    const store = await oldStore(5);
    const keys = testKeys();
    const latch = await start(store, keys);
    expect(await head(store)).toMatchObject({ seq: 6, keyed_from_seq: 6 });
    const [sealPoint] = await storedCheckpoints(store.db);
    expect(sealPoint).toMatchObject({ seq: '5' });
    const events = await readStoredEvents(store.db);
    expect(events[5]).toMatchObject({ type: 'audit_log.sealed', data: { unkeyedThroughSeq: 5 } });
    expect(sealPoint!.hash).toBe(events[4]!.hash);

    await bootstrapAdmin(latch.deps, 'admin@example.test', 'x'.repeat(40));
    expect(await verifyAuditLog(latch.deps)).toMatchObject({
      ok: true,
      checked: 8,
      keyedFromSeq: 6,
      checkpoints: { stored: 1 },
    });
    // Sealed once: a restart only checks the key.
    await latch.close();
    open[0]!.latch = await createLatch(store, { keys, jobs: false });
    expect((await readStoredEvents(store.db)).filter((e) => e.type === 'audit_log.sealed')).toHaveLength(1);
  });

  it('still shows tampering before the seal, however the unkeyed part was re-hashed', async () => {
    const store = await oldStore(5);
    const latch = await start(store);
    await sql`update events set data = '{"name":"Mallory"}' where seq = 2`.execute(store.db);
    expect(await verifyAuditLog(latch.deps)).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      reason: 'hash_mismatch',
    });
    await rehashFrom(store.db, 2, unkeyedHash, 5);
    expect(await verifyAuditLog(latch.deps)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      reason: 'checkpoint_mismatch',
    });
    await sql`delete from audit_checkpoints`.execute(store.db);
    expect(await verifyAuditLog(latch.deps)).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      reason: 'prev_hash_mismatch',
    });
  });

  it('catches changed subject ids before the seal, which the unkeyed hash did not cover', async () => {
    const store = await oldStore(3);
    const latch = await start(store);
    await sql`update events set subject_ids = array['usr_someone_else'] where seq = 2`.execute(store.db);
    expect(await verifyAuditLog(latch.deps)).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      reason: 'hash_mismatch',
    });
  });

  it('is not sealed when it already fails verification', async () => {
    const store = await oldStore(4);
    await sql`update events set actor_id = 'usr_mallory' where seq = 3`.execute(store.db);
    await expect(createLatch(store, { keys: testKeys(), jobs: false })).rejects.toThrow(ChainBrokenError);
    await expect(createLatch(store, { keys: testKeys(), jobs: false })).rejects.toThrow(
      /fails verification at seq 3 \(hash_mismatch/,
    );
    expect(await head(store)).toMatchObject({ seq: 4, keyed_from_seq: null });
    expect(await storedCheckpoints(store.db)).toHaveLength(0);
  });

  it('is not sealed again once its seal was removed', async () => {
    const store = await oldStore(3);
    const keys = testKeys();
    const latch = await start(store, keys);
    await latch.close();
    open[0]!.latch = undefined;
    await sql`update audit_head set keyed_from_seq = null, seal_mac = null, key_check = null`.execute(
      store.db,
    );
    await rehashFrom(store.db, 4, unkeyedHash);
    await expect(createLatch(store, { keys, jobs: false })).rejects.toThrow(UnsealedChainError);
  });
});
