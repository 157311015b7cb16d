import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventMac } from '../../src/domain/audit-chain.js';
import { writeAuditCheckpoint } from '../../src/ops/audit/write-audit-checkpoint.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import {
  rehashFrom,
  siemCopy,
  storedCheckpoints,
  truncateAfter,
  unkeyedHash,
} from '../support/audit-tamper.js';
import { startHarness, uniqueEmail, type Harness } from '../support/harness.js';

// Someone with write access to the database, but not the audit key, tampers with the log in SQL: each change
// is caught by verification, through the API as well as directly. Each test tampers with its own store.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const db = () => h.latch.store.db;
const verify = () => verifyAuditLog(h.latch.deps);
const checkpoint = async () => (await writeAuditCheckpoint(h.latch.deps, { minGapMs: 0 }))!;

async function seed(n: number) {
  for (let i = 0; i < n; i++) {
    const res = await h.request('POST', '/api/v1/users', {
      body: { email: uniqueEmail('tamper'), name: `Tamper ${i}` },
    });
    expect(res.status).toBe(201);
  }
}

describe('a keyed audit chain', () => {
  it('verifies when re-linked under its own key, so only the key stands between a writer and the log', async () => {
    await seed(4);
    await rehashFrom(db(), 1, (e) => eventMac(h.latch.deps.keys.audit, e));
    expect(await verify()).toMatchObject({ ok: true, firstBadSeq: null, keyedFromSeq: 1 });
  });

  it('catches an edited event when everything after it was re-hashed by the unkeyed rule or another key', async () => {
    await seed(6);
    await sql`update events set data = jsonb_set(data, '{name}', '"Mallory"') where seq = 4`.execute(db());
    await rehashFrom(db(), 4, unkeyedHash);
    const expected = { ok: false, firstBadSeq: 4, checked: 3, reason: 'mac_mismatch' };
    expect(await verify()).toMatchObject(expected);
    expect((await h.request('GET', '/api/v1/events/verify')).body).toMatchObject(expected);
    await rehashFrom(db(), 4, (e) => eventMac(randomBytes(32), e));
    expect(await verify()).toMatchObject(expected);
  });

  it('catches changed subject ids, which decide who may read an event', async () => {
    await seed(3);
    const member = await h.newUser('member');
    const seq = 4;
    await sql`update events set subject_ids = array_append(subject_ids, ${member.user.id}) where seq = ${seq}`.execute(
      db(),
    );
    const seen = (await h.as(member)('GET', '/api/v1/events')).body.items as { seq: number }[];
    expect(seen.map((e) => e.seq)).toContain(seq);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq, reason: 'mac_mismatch' });
  });

  it('catches a changed time, to the microsecond', async () => {
    await seed(2);
    await sql`update events set created_at = created_at + interval '1 microsecond' where seq = 3`.execute(
      db(),
    );
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'mac_mismatch' });
  });

  it('catches the newest events deleted with the head moved back: through a later checkpoint, else the SIEM copy', async () => {
    await seed(2);
    const first = await checkpoint();
    await seed(3);
    const second = await checkpoint();
    await seed(3);
    await checkpoint();
    await seed(2);
    const siem = siemCopy(await storedCheckpoints(db()));
    expect(await verify()).toMatchObject({ ok: true, checkpoints: { stored: 3, external: 0 } });

    const kept = first.seq + 1;
    await truncateAfter(db(), kept);
    await sql`delete from audit_checkpoints where seq > ${second.seq}`.execute(db());
    const truncated = { ok: false, firstBadSeq: kept + 1, reason: 'truncated' };
    expect(await verify()).toMatchObject(truncated);

    // With every later checkpoint row deleted too, nothing in the database disagrees; the SIEM's copy does.
    await sql`delete from audit_checkpoints where seq > ${kept}`.execute(db());
    expect(await verify()).toMatchObject({ ok: true, checkpoints: { stored: 1 } });
    expect(await verifyAuditLog(h.latch.deps, { externalCheckpoints: siem })).toMatchObject(truncated);
  });

  it('refuses a forged or altered checkpoint', async () => {
    await seed(2);
    const at = await checkpoint();
    await sql`update audit_checkpoints set created_at = created_at - interval '1 hour'`.execute(db());
    expect(await verify()).toMatchObject({
      ok: false,
      firstBadSeq: at.seq,
      reason: 'checkpoint_mac_mismatch',
    });
  });

  it('catches a moved seal', async () => {
    await seed(3);
    await sql`update audit_head set keyed_from_seq = 3`.execute(db());
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'hash_mismatch' });
    await sql`update audit_head set keyed_from_seq = null, seal_mac = null`.execute(db());
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'hash_mismatch' });
  });
});
