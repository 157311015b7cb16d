import type { IdentityClaims } from '../../domain/oidc/claims.js';
import { roleFromGroups, type OidcSettings } from '../../domain/oidc/settings.js';
import { decideSignIn } from '../../domain/oidc/sign-in.js';
import { normalizeEmail, type User } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { lockAdminRoster } from '../../store/locks.js';
import {
  findLiveUserByEmailWithSubject,
  findUserByOidcSubject,
  linkOidcSubject,
} from '../../store/oidc-subjects.js';
import { countActiveAdmins, findUserById, updateUser } from '../../store/users.js';
import type { Tx } from '../shared/deps.js';
import { insertNewUser } from './create-user.js';
import { OidcRefusedError } from './oidc-refusal.js';

// The user a verified single sign-on stands for, inside the caller's transaction: found (and linked) or created
// by the rules of src/domain/oidc/sign-in.ts, the user row locked, and its role brought in line with the
// provider's groups when a groups claim is configured. Throws OidcRefusedError when the sign-in is refused.

export async function userForSignIn(
  trx: Tx,
  settings: Pick<OidcSettings, 'createUsers' | 'adminGroups' | 'auditorGroups'>,
  claims: IdentityClaims,
  now: Date,
): Promise<{ user: User; events: NewEvent[] }> {
  const bySubject = await findUserByOidcSubject(trx, claims.subject, true);
  const byEmail =
    bySubject || !claims.email
      ? undefined
      : await findLiveUserByEmailWithSubject(trx, normalizeEmail(claims.email));
  const decision = decideSignIn(claims, { bySubject, byEmail }, settings.createUsers);
  const events: NewEvent[] = [];
  let user: User;
  switch (decision.kind) {
    case 'refuse':
      throw new OidcRefusedError(decision.reason, decision.userId);
    case 'create': {
      const role = claims.groups ? roleFromGroups(claims.groups, settings) : 'member';
      const created = await insertNewUser(
        trx,
        now,
        { email: claims.email!, name: claims.name ?? claims.email!, role },
        null,
        { source: 'oidc', oidcSubject: claims.subject },
      );
      return { user: created.user, events: [created.event] };
    }
    case 'sign_in':
      user = decision.user;
      if (decision.link) {
        await linkOidcSubject(trx, user.id, claims.subject, now);
        events.push({
          type: 'user.updated',
          actorId: null,
          subjects: [{ type: 'user', id: user.id }],
          data: { changes: { oidcLinked: { from: false, to: true } }, via: 'oidc' },
        });
      }
  }
  if (claims.groups) {
    const changed = await followGroups(trx, user, roleFromGroups(claims.groups, settings));
    if (changed) {
      events.push(changed.event);
      user = changed.user;
    }
  }
  return { user, events };
}

/** Roles follow the provider's groups at every sign-in, except that the last active admin is never demoted. */
async function followGroups(trx: Tx, user: User, role: User['role']) {
  if (role === user.role) return undefined;
  if (user.role === 'admin') {
    await lockAdminRoster(trx);
    const current = await findUserById(trx, user.id);
    if (current?.role === 'admin' && (await countActiveAdmins(trx)) <= 1) return undefined;
  }
  const after = await updateUser(trx, user.id, { role });
  const event: NewEvent = {
    type: 'user.updated',
    actorId: null,
    subjects: [{ type: 'user', id: user.id }],
    data: { changes: { role: { from: user.role, to: after.role } }, via: 'oidc' },
  };
  return { user: after, event };
}
