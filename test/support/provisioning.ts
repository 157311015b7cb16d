import { expect } from 'vitest';
import type { Caller, Harness } from './harness.js';
import type { PgTarget } from './pg-target.js';

// Provisioning tests' helpers: waiting on the engine (whether it has planned an item since a moment and applied
// everything it planned), and the calls the tests against a PostgreSQL target make.

/** The item was planned after `at` and nothing is left to apply for it. */
export async function settledAfter(h: Harness, itemId: string, at: Date): Promise<boolean> {
  const db = h.latch.store.db;
  const link = await db
    .selectFrom('remote_links')
    .select('planned_at')
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  const due = await db
    .selectFrom('provisioned_accounts')
    .select('user_id')
    .where('item_id', '=', itemId)
    .where('next_attempt_at', 'is not', null)
    .execute();
  return !!link?.planned_at && link.planned_at > at && due.length === 0;
}

/** The calls the provisioning tests against a PostgreSQL target make, for the file's harness and target. */
export function provisioningCalls(files: {
  h: () => Harness;
  target: () => PgTarget;
  connectionId: () => string;
  /** Names this file's roles and groups apart from other files' (an SQL identifier). */
  prefix: string;
}) {
  let counter = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects
  const api = async <T = any>(method: string, url: string, body?: unknown, status?: number): Promise<T> => {
    const res = await files.h().request(method, `/api/v1${url}`, body === undefined ? {} : { body });
    if (status !== undefined)
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as T;
  };
  const localPart = (c: Caller) => c.user.email.split('@')[0]!;
  /** A new group role in the target. */
  const role = async (): Promise<string> => {
    const name = `${files.prefix}_role_${counter++}`;
    await files.target().role(name);
    return name;
  };
  return {
    role,
    api,
    localPart,
    eventually: (fn: () => Promise<boolean>, timeout = 10_000) =>
      expect.poll(fn, { timeout, interval: 20 }).toBe(true),
    /** A member whose account exists in the target. */
    async person(): Promise<Caller> {
      const c = await files.h().newUser();
      await files.target().account(localPart(c));
      return c;
    },
    /** A group linked to a new role of the target. */
    async linkedGroup(): Promise<{ id: string; role: string }> {
      const remoteId = await role();
      const g = await api<{ id: string }>('POST', '/groups', { name: `${files.prefix}-${remoteId}` }, 201);
      const connectionId = files.connectionId();
      const linked = await api<{ remote: unknown }>(
        'PATCH',
        `/groups/${g.id}`,
        { remote: { connectionId, remoteId } },
        200,
      );
      expect(linked.remote).toEqual({ connectionId, remoteId, remoteName: remoteId });
      return { id: g.id, role: remoteId };
    },
  };
}
