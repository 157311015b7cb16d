import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../src/ops/connections/create-connection.js';
import { planLinkedItems } from '../../src/ops/connections/plan-items.js';
import type { OpsDeps } from '../../src/ops/shared/deps.js';
import { insertLink } from '../../src/store/remote-links.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Replicas plan from their own access index, and one may be behind another. A plan made from an index that has
// not yet seen what a later plan was made from is not written: it would give back, in the target, access that
// was revoked (and take it away again once that replica caught up).

let h: Harness;
let member: Caller;
let groupId: string;

const wish = async () =>
  (
    await h.latch.store.db
      .selectFrom('provisioned_accounts')
      .select(['wanted'])
      .where('item_id', '=', groupId)
      .where('user_id', '=', member.user.id)
      .executeTakeFirst()
  )?.wanted;

beforeAll(async () => {
  h = await startHarness();
  member = await h.newUser();
  const admin = { id: h.admin.user.id, role: 'admin' as const };
  const connection = await createConnection(h.latch.deps, admin, {
    name: 'planned target',
    kind: 'scim',
    config: { baseUrl: 'https://scim.example.test/v2' },
    secrets: { bearerToken: 'planned-target-token' },
    mode: 'report',
  });
  groupId = (await h.request('POST', '/api/v1/groups', { body: { name: 'planned' } })).body.id;
  await insertLink(
    h.latch.store.db,
    {
      itemId: groupId,
      itemType: 'group',
      accessLevel: null,
      connectionId: connection.id,
      remoteId: 'g1',
      remoteName: 'g1',
    },
    new Date(),
  );
});
afterAll(() => h.close());

describe('planning linked items', () => {
  it('does not write a plan from an index behind the last plan written', async () => {
    const grant = await h.request('POST', `/api/v1/groups/${groupId}/members`, {
      body: { userId: member.user.id },
    });
    expect(grant.status).toBe(201);
    await planLinkedItems(h.latch.deps);
    expect(await wish()).toBe(true);
    // As the engine records it once the target has the account.
    await h.latch.store.db
      .updateTable('provisioned_accounts')
      .set((eb) => ({ applied_account: eb.ref('account'), next_attempt_at: null }))
      .where('item_id', '=', groupId)
      .execute();

    // Revoked, and planned from the index that has seen it.
    expect((await h.request('DELETE', `/api/v1/grants/${grant.body.id}`)).status).toBe(200);
    await planLinkedItems(h.latch.deps);
    expect(await wish()).toBe(false);

    // A replica whose index stopped before the revocation still counts the member.
    const before = h.latch.deps.index.appliedSeq() - 2;
    const stale: OpsDeps = {
      ...h.latch.deps,
      index: {
        ...h.latch.deps.index,
        appliedSeq: () => before,
        members: () => [{ userId: member.user.id, direct: true, expiresAt: null, via: [] }],
      },
    };
    await planLinkedItems(stale);
    expect(await wish()).toBe(false);
  });
});
