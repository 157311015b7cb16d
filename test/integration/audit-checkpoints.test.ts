import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCheckpointExport } from '../../src/domain/audit-checkpoint-records.js';
import { writeAuditCheckpoint } from '../../src/ops/audit/write-audit-checkpoint.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { storedCheckpoints } from '../support/audit-tamper.js';
import { startHarness, uniqueEmail, type Harness } from '../support/harness.js';

// Signed checkpoints of the audit chain's head: made by the time engine once per head across processes, never
// over a chain that fails verification, and listed to admins and auditors.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const db = () => h.latch.store.db;
const checkpoint = async () => (await writeAuditCheckpoint(h.latch.deps, { minGapMs: 0 }))!;
const headSeq = async (harness = h) =>
  Number(
    (await sql<{ seq: string }>`select seq from audit_head`.execute(harness.latch.store.db)).rows[0]!.seq,
  );

async function seed(n: number, harness = h) {
  for (let i = 0; i < n; i++) {
    const res = await harness.request('POST', '/api/v1/users', {
      body: { email: uniqueEmail('cp'), name: `Checkpointed ${i}` },
    });
    expect(res.status).toBe(201);
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('audit checkpoints', () => {
  it('are made once per head, however many processes try at once, and only after the last one has aged', async () => {
    await seed(2);
    const made = await Promise.all([1, 2, 3].map(() => writeAuditCheckpoint(h.latch.deps, { minGapMs: 0 })));
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await writeAuditCheckpoint(h.latch.deps, { minGapMs: 0 })).toBeNull();
    await seed(1);
    expect(await writeAuditCheckpoint(h.latch.deps, { minGapMs: 60_000 })).toBeNull();
    expect(await writeAuditCheckpoint(h.latch.deps, { minGapMs: 0 })).not.toBeNull();
    expect(await storedCheckpoints(db())).toHaveLength(2);
  });

  it('are not signed over a chain that fails verification', async () => {
    await seed(2);
    await checkpoint();
    await seed(2);
    const head = await headSeq();
    await sql`update events set data = '{}' where seq = ${head}`.execute(db());
    await expect(checkpoint()).rejects.toThrow(/fails verification at seq \d+ \(mac_mismatch/);
    expect(await storedCheckpoints(db())).toHaveLength(1);
  });

  it('are listed newest first to admins and auditors, a page at a time', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) {
      await seed(1);
      made.push(await checkpoint());
    }
    const auditor = await h.newUser('auditor');
    const first = await h.as(auditor)('GET', '/api/v1/events/checkpoints?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { seq: number }) => c.seq)).toEqual([made[2]!.seq, made[1]!.seq]);
    expect(first.body.items[0]).toMatchObject({
      hash: made[2]!.hash,
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const rest = await h.request('GET', `/api/v1/events/checkpoints?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ seq: made[0]!.seq })], nextCursor: null });
    const member = await h.newUser('member');
    expect((await h.as(member)('GET', '/api/v1/events/checkpoints')).status).toBe(403);
    // What the API lists is what `latch audit verify --checkpoints` accepts.
    const listed = parseCheckpointExport(
      JSON.stringify({ items: [...first.body.items, ...rest.body.items] }),
    );
    expect(await verifyAuditLog(h.latch.deps, { externalCheckpoints: listed })).toMatchObject({
      ok: true,
      checkpoints: { stored: 3, external: 3 },
    });
  });

  it('are made by the time engine at start-up, then once the head has moved, at most once per interval', async () => {
    const timed = await startHarness({ jobs: true, jobOptions: { auditCheckpointIntervalMs: 400 } });
    try {
      const at = (seq: number) => async () =>
        (await storedCheckpoints(timed.latch.store.db)).find((c) => Number(c.seq) === seq);
      const startUp = await waitFor(at(await headSeq(timed)));
      await seed(2, timed);
      const next = await waitFor(at(await headSeq(timed)));
      expect(BigInt(next.createdAtUs) - BigInt(startUp.createdAtUs)).toBeGreaterThanOrEqual(400_000n);
      expect(await storedCheckpoints(timed.latch.store.db)).toHaveLength(2);
      expect(await verifyAuditLog(timed.latch.deps)).toMatchObject({ ok: true, checkpoints: { stored: 2 } });
    } finally {
      await timed.close();
    }
  });
});
