import { accountFor, type AccountRule } from '../../domain/connections/account-rule.js';
import type { Target } from '../../domain/access-facts.js';
import { accountOverrides } from '../../store/connections.js';
import type { NewEvent } from '../../store/events.js';
import { writeWishes } from '../../store/provisioned-accounts.js';
import type { ConnectionRow } from '../../store/schema-connections.js';
import { userEmails } from '../../store/users.js';
import { insertGrantWithEvent } from '../grants/index.js';
import type { Tx } from '../shared/deps.js';

// Adopting a remote item's members when it is first linked: each account that maps to a Latch user (by the
// connection's rule or an override) becomes a standing direct grant of the linked item, recorded as already
// applied so nothing is sent for it. Accounts that map to nobody stay drift.

export interface Adoption {
  connection: Pick<ConnectionRow, 'id' | 'name' | 'account_rule'>;
  remoteId: string;
  remoteName: string;
  /** The remote item's members, as the target names them. */
  members: readonly string[];
  /** When two accounts are the same one in this target (LDAP and SCIM ignore case). */
  key: (account: string) => string;
  /** Users left out: already members of the item, who need no grant of their own. */
  skip?: ReadonlySet<string>;
}

/** Every active user's account in a connection, by its key there: read once for all the items adopted. */
export type AccountsByKey = Map<string, { userId: string; account: string }>;

export async function accountsByKey(
  trx: Tx,
  connection: Adoption['connection'],
  key: Adoption['key'],
): Promise<AccountsByKey> {
  const [emails, overrides] = await Promise.all([userEmails(trx), accountOverrides(trx, connection.id)]);
  const byAccount: AccountsByKey = new Map();
  for (const [userId, email] of emails) {
    const account = accountFor(connection.account_rule as AccountRule, email, overrides.get(userId));
    if (account !== null) byAccount.set(key(account), { userId, account });
  }
  return byAccount;
}

export async function adoptMembers(
  trx: Tx,
  actorId: string,
  itemId: string,
  target: Target,
  a: Adoption,
  now: Date,
  known?: AccountsByKey,
): Promise<NewEvent[]> {
  if (a.members.length === 0) return [];
  const byAccount = known ?? (await accountsByKey(trx, a.connection, a.key));
  const adopted = [
    ...new Map(
      a.members.flatMap((m) => {
        const found = byAccount.get(a.key(m));
        return found && !a.skip?.has(found.userId) ? [[found.userId, found] as const] : [];
      }),
    ).values(),
  ];
  const events: NewEvent[] = [];
  for (const { userId } of adopted) {
    const { event } = await insertGrantWithEvent(
      trx,
      {
        userId,
        target,
        source: 'direct',
        reason: `member of ${a.remoteName} in ${a.connection.name} when it was linked`,
        createdBy: actorId,
        startsAt: now,
        expiresAt: null,
      },
      now,
    );
    events.push(event);
  }
  await writeWishes(
    trx,
    adopted.map(({ userId, account }) => ({
      itemId,
      userId,
      connectionId: a.connection.id,
      remoteId: a.remoteId,
      wanted: true,
      account,
      appliedAccount: account,
      status: 'synced',
      detail: null,
      due: false,
    })),
    now,
  );
  return events;
}
