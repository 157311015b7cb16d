import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE_RETENTION_MS, SESSION_RETENTION_MS } from '../../src/domain/retention.js';
import { pruneHistory } from '../../src/ops/retention/prune-history.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { startHarness, type Harness } from '../support/harness.js';

// Pruning finished bookkeeping: notices no longer pending after 30 days, sessions a week after their end. Pending
// notices, recent rows, the audit log and grants stay. Each batch that deleted something is one audit event.

const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
let tokenId: string;
beforeAll(async () => {
  h = await startHarness();
  tokenId = (
    await h.latch.deps.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', h.admin.user.id)
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => h.close());

const db = () => h.latch.deps.db;
const ago = (ms: number) => new Date(Date.now() - ms);
const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

async function notice(status: string, createdAt: Date) {
  const row = { id: id('ntf'), kind: 'test.notice', recipient_user_id: h.admin.user.id, payload: '{}' };
  await db()
    .insertInto('outbox')
    .values({ ...row, status, next_attempt_at: createdAt, created_at: createdAt })
    .execute();
  return row.id;
}

async function session(expiresAt: Date) {
  const sid = id('ses');
  const createdAt = new Date(expiresAt.getTime() - 12 * 60 * 60 * 1000);
  await db()
    .insertInto('sessions')
    .values({
      id: sid,
      secret_hash: randomBytes(32).toString('hex'),
      csrf_token: 'csrf',
      user_id: h.admin.user.id,
      token_id: tokenId,
      created_at: createdAt,
      expires_at: expiresAt,
      last_seen_at: createdAt,
    })
    .execute();
  return sid;
}

const existing = async (table: 'outbox' | 'sessions', ids: string[]) =>
  (await db().selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort();
const prunedEvents = async () =>
  (await h.request('GET', '/api/v1/events?type=retention.pruned&limit=500')).body.items as {
    actorId: string | null;
    data: { notices: number; sessions: number };
  }[];
const eventCount = async () =>
  Number(
    (
      await db()
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('pruning', () => {
  it('removes old finished notices and long-ended sessions, keeps the rest, and records counts once', async () => {
    const old = NOTICE_RETENTION_MS + DAY;
    const gone = [
      await notice('sent', ago(old)),
      await notice('skipped', ago(old)),
      await notice('failed', ago(old)),
    ];
    const kept = [
      await notice('pending', ago(old)), // still being delivered (or retried): never pruned
      await notice('sent', ago(NOTICE_RETENTION_MS - DAY)),
      await notice('failed', ago(DAY)),
    ];
    const oldSession = await session(ago(SESSION_RETENTION_MS + DAY));
    const recentSessions = [await session(ago(SESSION_RETENTION_MS - DAY)), await session(ago(-DAY))];
    const eventsBefore = await eventCount();
    const firstSeq = (await h.request('GET', '/api/v1/events?limit=1')).body.items[0];

    const counts = await pruneHistory(h.latch.deps, 500);
    expect(counts).toEqual({ notices: 3, sessions: 1, idempotencyKeys: 0 });
    expect(await existing('outbox', [...gone, ...kept])).toEqual([...kept].sort());
    expect(await existing('sessions', [oldSession, ...recentSessions])).toEqual([...recentSessions].sort());

    // One event for the batch, with the counts; nothing else in the log changed.
    const events = await prunedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: null, data: { notices: 3, sessions: 1 } });
    expect(await eventCount()).toBe(eventsBefore + 1);
    expect((await h.request('GET', '/api/v1/events?limit=1')).body.items[0]).toEqual(firstSeq);
    expect((await verifyAuditLog(h.latch.deps)).ok).toBe(true);

    // Nothing left to prune: no event.
    expect(await pruneHistory(h.latch.deps, 500)).toEqual({ notices: 0, sessions: 0, idempotencyKeys: 0 });
    expect(await prunedEvents()).toHaveLength(1);
  });

  it('works in bounded batches, and concurrent runs count each row once', async () => {
    const before = (await prunedEvents()).length;
    const old = ago(NOTICE_RETENTION_MS + 2 * DAY);
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await notice('sent', old));
    const runs = await Promise.all([pruneHistory(h.latch.deps, 3), pruneHistory(h.latch.deps, 3)]);
    expect(runs.every((r) => r.notices <= 3)).toBe(true);
    const third = await pruneHistory(h.latch.deps, 3);
    expect(runs[0]!.notices + runs[1]!.notices + third.notices).toBe(7);
    expect(await existing('outbox', ids)).toEqual([]);
    const events = (await prunedEvents()).slice(before);
    expect(events.reduce((sum, e) => sum + e.data.notices, 0)).toBe(7);
  });

  it('is run by the time engine', async () => {
    const sid = await session(ago(SESSION_RETENTION_MS + 3 * DAY));
    const nid = await notice('sent', ago(NOTICE_RETENTION_MS + 3 * DAY));
    await h.restart({ jobs: true });
    const deadline = Date.now() + 10_000;
    while ((await existing('sessions', [sid])).length + (await existing('outbox', [nid])).length > 0) {
      if (Date.now() > deadline) throw new Error('the time engine did not prune');
      await new Promise((r) => setTimeout(r, 50));
    }
    await h.restart({ jobs: false });
  });
});
