// The one rule of what a linked item's accounts need in its target. Latch keeps, per (item, user), what it wants
// (member or not, under which account) and what it has put there (`appliedAccount`); the difference is the work,
// and a row with work is an operation in the outbox. Planning only ever changes what is wanted, so a plan made
// while an operation is in flight cannot undo it: the operation's result is recorded, and the rest done next.

export type ProvisioningStatus = 'pending' | 'synced' | 'failed' | 'no_account';

export interface ProvisionedState {
  userId: string;
  wanted: boolean;
  account: string | null;
  appliedAccount: string | null;
}

/** What to do next in the target for one row; `none` once it matches what is wanted. */
export type Step = { kind: 'add'; account: string } | { kind: 'remove'; account: string } | { kind: 'none' };

export function nextStep(s: Omit<ProvisionedState, 'userId'>): Step {
  if (s.appliedAccount !== null && (!s.wanted || s.appliedAccount !== s.account))
    return { kind: 'remove', account: s.appliedAccount };
  if (s.wanted && s.account !== null && s.appliedAccount !== s.account)
    return { kind: 'add', account: s.account };
  return { kind: 'none' };
}

export const hasWork = (s: Omit<ProvisionedState, 'userId'>) => nextStep(s).kind !== 'none';

/** A row to write: what is wanted now for a user whose wish changed (or who is new). */
export interface PlannedRow {
  userId: string;
  wanted: boolean;
  account: string | null;
  /** The row's state before, if it had one. */
  before: ProvisionedState | undefined;
}

/**
 * The rows whose wish changes, given who should be a member now (user id → their account, null for none) and
 * the rows held. Users neither wanted nor held are not mentioned.
 */
export function planMembers(
  wanted: ReadonlyMap<string, string | null>,
  held: readonly ProvisionedState[],
): PlannedRow[] {
  const out: PlannedRow[] = [];
  const byUser = new Map(held.map((h) => [h.userId, h]));
  for (const [userId, account] of wanted) {
    const before = byUser.get(userId);
    if (before?.wanted && before.account === account) continue;
    out.push({ userId, wanted: true, account, before });
  }
  for (const h of held)
    if (h.wanted && !wanted.has(h.userId))
      out.push({ userId: h.userId, wanted: false, account: h.account, before: h });
  return out;
}

/** The status a row has right after its wish changed: work ahead is pending; a wanted user without account has none. */
export function plannedStatus(row: Omit<ProvisionedState, 'userId'>): ProvisioningStatus {
  if (hasWork(row)) return 'pending';
  return row.wanted && row.account === null ? 'no_account' : 'synced';
}

/**
 * Members of a remote item that Latch does not explain: neither put there by it (applied) nor on their way in
 * (wanted). `key` says when two accounts are the same one in this target (LDAP and SCIM ignore case).
 */
export function unexplained(
  remoteMembers: readonly string[],
  held: readonly Omit<ProvisionedState, 'userId'>[],
  key: (account: string) => string,
): string[] {
  const explained = new Set<string>();
  for (const h of held) {
    if (h.appliedAccount !== null) explained.add(key(h.appliedAccount));
    if (h.wanted && h.account !== null) explained.add(key(h.account));
  }
  return remoteMembers.filter((m) => !explained.has(key(m)));
}

/**
 * The state to record after reading the target's members: a wanted account missing there was removed out of
 * band (or never landed) and is added again; one Latch believes removed but still there is drift, seen apart.
 */
export function observedApplied(
  s: Omit<ProvisionedState, 'userId'>,
  present: (account: string) => boolean,
): string | null {
  if (s.appliedAccount !== null && !present(s.appliedAccount)) return null;
  if (s.appliedAccount === null && s.wanted && s.account !== null && present(s.account)) return s.account;
  return s.appliedAccount;
}
