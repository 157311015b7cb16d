import { accountFor, type AccountRule } from '../../domain/connections/account-rule.js';
import { planMembers, plannedStatus } from '../../domain/connections/provisioning-plan.js';
import type { Target } from '../../domain/access-facts.js';
import { accountOverrides, findConnectionRow } from '../../store/connections.js';
import {
  accountsOfItem,
  deleteSettledOfItem,
  lockAccountsOfUsers,
  toState,
  writeWishes,
  type WishRow,
} from '../../store/provisioned-accounts.js';
import {
  allLinks,
  deleteLink,
  findLink,
  linkedItemDeleted,
  markPlanned,
  touchPlanned,
} from '../../store/remote-links.js';
import type { RemoteLinkRow } from '../../store/schema-connections.js';
import { userEmails } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

// The desired state of every linked item, from the access index: its effective members, each under the account
// the connection's rule (or an override) gives. What changed is written as wishes; a wish with work is an
// operation in the outbox. Planning writes no event: an event is written when the target is changed.

const targetOf = (l: RemoteLinkRow): Target =>
  l.item_type === 'group' ? { groupId: l.item_id } : { resourceId: l.item_id, accessLevel: l.access_level! };

export interface PlanResult {
  items: number;
  /** Wishes written (users who became or stopped being members, or whose account changed). */
  changed: number;
}

/**
 * What each item's last plan was made from, kept by the engine between plans: an item whose link and members
 * are as they were is not planned again. The engine forgets it when anything else that decides accounts may
 * have changed (a connection's rule, an override, a user's e-mail).
 */
export type PlanMemo = Map<string, string>;

/** Plans every linked item (or those of one connection); the index must be fresh, or this refuses (503). */
export async function planLinkedItems(
  deps: OpsDeps,
  options: { connectionId?: string; memo?: PlanMemo } = {},
): Promise<PlanResult> {
  const { connectionId, memo } = options;
  const links = (await allLinks(deps.db)).filter(
    (l) => connectionId === undefined || l.connection_id === connectionId,
  );
  // Items are planned side by side (each in its own transaction, locking its own link): a large item does not
  // hold back a small one whose members just lost their access.
  const queue = [...links];
  let changed = 0;
  const workers = await Promise.allSettled(
    Array.from({ length: Math.min(PLAN_CONCURRENCY, links.length) }, async () => {
      for (let link = queue.shift(); link; link = queue.shift()) changed += await planItem(deps, link, memo);
    }),
  );
  const failed = workers.find((w) => w.status === 'rejected');
  if (failed) throw failed.reason;
  return { items: links.length, changed };
}

const PLAN_CONCURRENCY = 4;

async function planItem(deps: OpsDeps, seen: RemoteLinkRow, memo?: PlanMemo): Promise<number> {
  const now = deps.now();
  // Read before the transaction: the index answers for this moment, and refuses while it knows it is stale.
  const asOf = deps.index.appliedSeq();
  const members = deps.index.members(targetOf(seen), now.getTime()).map((m) => m.userId);
  const made = `${seen.connection_id}\u0000${seen.remote_id}\u0000${[...members].sort().join(',')}`;
  if (memo?.get(seen.item_id) === made) {
    await touchPlanned(deps.db, seen.item_id, now, asOf);
    return 0;
  }
  let planned = false;
  return runInTransaction(deps, async (trx) => {
    const nothing = { result: 0, events: [] };
    const link = await findLink(trx, seen.item_id, true);
    if (!link) return nothing;
    // Another replica planned from a later state of the log: this index has not seen it yet, and would undo it
    // (give back access revoked there). It plans again once it has caught up.
    if (Number(link.planned_seq) > asOf) return nothing;
    const connection = await findConnectionRow(trx, link.connection_id);
    if (!connection) return nothing;
    // Read unlocked: only plans change what a row wants, and they are serialized by the link's lock. The rows
    // that change are then locked and read again, for what has been applied meanwhile (an outcome recorded).
    const seenHeld = await accountsOfItem(trx, link.item_id);
    const deleted = await linkedItemDeleted(trx, link.item_id, link.item_type);
    const wanted = new Map<string, string | null>();
    if (!deleted) {
      const [emails, overrides] = await Promise.all([
        userEmails(trx, members),
        accountOverrides(trx, link.connection_id),
      ]);
      const rule = connection.account_rule as AccountRule;
      for (const u of members) wanted.set(u, accountFor(rule, emails.get(u) ?? null, overrides.get(u)));
    }
    const changing = planMembers(
      wanted,
      seenHeld.map((h) => toState(h)),
    ).map((p) => p.userId);
    // A deleted item's rows are all locked: whether its link can go depends on every one of them.
    const held = deleted
      ? await accountsOfItem(trx, link.item_id, true)
      : await lockAccountsOfUsers(trx, link.item_id, changing);
    const plan = planMembers(
      new Map(changing.filter((u) => wanted.has(u)).map((u) => [u, wanted.get(u)!])),
      held.map((h) => toState(h)),
    );
    const rows: WishRow[] = plan.map((p) => {
      const next = { wanted: p.wanted, account: p.account, appliedAccount: p.before?.appliedAccount ?? null };
      const status = plannedStatus(next);
      return {
        itemId: link.item_id,
        userId: p.userId,
        connectionId: link.connection_id,
        remoteId: link.remote_id,
        ...next,
        status,
        detail: status === 'no_account' ? 'the connection’s account rule gives this user no account' : null,
        due: status === 'pending',
      };
    });
    await writeWishes(trx, rows, now);
    await deleteSettledOfItem(trx, link.item_id);
    await markPlanned(trx, link.item_id, now, asOf);
    // A deleted item's link goes once nothing Latch put in the target through it is left.
    if (deleted && held.every((h) => h.applied_account === null) && rows.every((r) => !r.due))
      await deleteLink(trx, link.item_id);
    // A deleted item is planned again until its link is gone.
    planned = !deleted;
    return { result: rows.length, events: [] };
  }).then((n) => {
    if (planned) memo?.set(seen.item_id, made);
    return n;
  });
}
