import { ScimError } from '../../domain/scim/errors.js';
import type { ScimUserInput } from '../../domain/scim/user-resource.js';
import type { NewEvent } from '../../store/events.js';
import {
  liveUserNamed,
  scimUserById,
  setUserStatus,
  updateScimUserFields,
  type ScimUserRecord,
} from '../../store/scim.js';
import type { Tx } from '../shared/deps.js';
import { checkLockout, revokeOnSuspension } from '../shared/user-status.js';
import type { ScimCaller } from './authenticate.js';

/** userName and e-mail are unique among live users; a provider is told which with scimType uniqueness. */
export async function assertUnique(trx: Tx, input: ScimUserInput, exceptId?: string) {
  const taken = await liveUserNamed(trx, input.userName, input.email, exceptId);
  if (!taken) return;
  const what =
    taken.userName.toLowerCase() === input.userName.toLowerCase()
      ? `userName '${input.userName}'`
      : `e-mail '${input.email}'`;
  throw new ScimError(409, `a user with ${what} already exists`, 'uniqueness');
}

/**
 * Rewrites a user with what the provider sent (PUT, or the result of a PATCH). Deactivation follows the same
 * rules as an admin's suspension (src/ops/shared/user-status.ts): the last admin cannot be locked out, and the
 * user's tokens, and so their sessions, end.
 */
export async function rewriteUser(
  trx: Tx,
  caller: ScimCaller,
  before: ScimUserRecord,
  input: ScimUserInput,
  now: Date,
): Promise<{ record: ScimUserRecord; events: NewEvent[] }> {
  const id = before.user.id;
  if (before.user.deprovisionedAt)
    throw new ScimError(404, `user ${id} was deprovisioned; create a new user instead`);
  await assertUnique(trx, input, id);
  const status = input.active ? 'active' : 'suspended';
  if (status !== before.user.status) await checkLockout(trx, before.user, { role: before.user.role, status });
  await updateScimUserFields(trx, id, input, now);
  if (status !== before.user.status) await setUserStatus(trx, id, status, now);
  const revokedTokens = await revokeOnSuspension(trx, before.user, status, now);
  const record = (await scimUserById(trx, id))!;
  const changes = changesOf(before, record);
  const suspended = before.user.status === 'active' && status === 'suspended';
  const events: NewEvent[] =
    Object.keys(changes).length === 0
      ? []
      : [
          {
            type: suspended ? 'user.suspended' : 'user.updated',
            actorId: caller.actorId,
            subjects: [
              { type: 'user', id },
              { type: 'token', id: caller.tokenId },
              ...revokedTokens.map((t) => ({ type: 'token', id: t })),
            ],
            data: {
              via: 'scim',
              changes,
              ...(suspended ? { revokedTokens: revokedTokens.length } : {}),
            },
          },
        ];
  return { record, events };
}

function changesOf(before: ScimUserRecord, after: ScimUserRecord) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const pick = (r: ScimUserRecord) => ({
    userName: r.userName,
    email: r.user.email,
    name: r.user.name,
    status: r.user.status,
    externalId: r.user.externalId,
  });
  const a = pick(before);
  const b = pick(after);
  for (const key of Object.keys(a) as (keyof typeof a)[])
    if (a[key] !== b[key]) changes[key] = { from: a[key], to: b[key] };
  // Attributes the provider keeps (name parts, the enterprise extension) are recorded as changed, not quoted.
  if (JSON.stringify(before.attributes ?? {}) !== JSON.stringify(after.attributes ?? {}))
    changes.attributes = { from: 'previous', to: 'updated' };
  return changes;
}
