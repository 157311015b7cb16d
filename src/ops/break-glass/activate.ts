import {
  isBreakGlassUser,
  MAX_REASON_LENGTH,
  parseReason,
  SUPERSEDED,
  type Activation,
} from '../../domain/break-glass.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { NoticeDeliveries } from '../../domain/notice-deliveries.js';
import type { Actor } from '../../domain/users.js';
import { readSettings } from '../../store/break-glass-settings.js';
import { activeActivations, findActivation, insertActivation } from '../../store/break-glass.js';
import type { NewEvent } from '../../store/events.js';
import { findGroup } from '../../store/groups.js';
import { newId } from '../../store/ids.js';
import { activationSubjects, queueBreakGlassNotice } from './notices.js';
import type { OpsDeps } from '../shared/deps.js';
import { endActivationAndGrant } from './end-activation.js';
import { insertGrantWithEvent } from '../grants/index.js';
import { runInTransaction } from '../shared/transaction.js';

/** A refused attempt is itself audited, in its own transaction: the refusal rolls back everything else. */
async function recordDenial(deps: OpsDeps, actor: Actor, groupId: string, rawReason: unknown) {
  const reason = typeof rawReason === 'string' ? rawReason.trim().slice(0, MAX_REASON_LENGTH) || null : null;
  // Not the activation the caller's Idempotency-Key stands for: that one did not happen.
  await runInTransaction({ ...deps, idempotency: undefined }, async () => ({
    result: undefined,
    events: [
      {
        type: 'break_glass.denied',
        actorId: actor.id,
        subjects: [
          { type: 'user', id: actor.id },
          { type: 'group', id: groupId },
        ],
        data: { reason, refusal: 'not_break_glass_user' },
      },
    ],
  }));
}

/**
 * Breaks the glass on a group: a grant (source `break_glass`) for the group's window, the activation that
 * explains it, its events and the notices to owners and admins, all in one transaction. An active activation
 * of the same user on the same group ends as `superseded`. Access is on when this returns.
 */
export async function activateBreakGlass(
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  rawReason: unknown,
): Promise<Activation & { deliveries: NoticeDeliveries }> {
  try {
    return await runInTransaction(deps, async (trx) => {
      // Lock, re-check, then act: the group row orders concurrent activations, so each sees the one before it.
      const group = await findGroup(trx, groupId, true);
      if (!group) throw notFound('group', groupId);
      const now = deps.now();
      const settings = await readSettings(trx, groupId);
      const isMemberOf = (g: string) => deps.index.isAllowed(actor.id, { groupId: g }, now.getTime());
      if (!isBreakGlassUser(settings, actor.id, isMemberOf)) {
        throw new AppError('not_break_glass_user', `you are not a break-glass user of group '${group.name}'`);
      }
      const reason = parseReason(rawReason);

      const events: NewEvent[] = [];
      const superseded = await activeActivations(trx, groupId, actor.id, now);
      for (const old of superseded)
        events.push(...(await endActivationAndGrant(trx, old, now, actor.id, SUPERSEDED)));

      const expiresAt = new Date(now.getTime() + settings.durationMinutes * 60_000);
      const { grant, event } = await insertGrantWithEvent(
        trx,
        {
          userId: actor.id,
          target: { groupId },
          source: 'break_glass',
          reason,
          createdBy: actor.id,
          startsAt: now,
          expiresAt,
        },
        now,
      );
      const id = newId('bga');
      await insertActivation(trx, {
        id,
        groupId,
        userId: actor.id,
        reason,
        activatedAt: now,
        expiresAt,
        grantId: grant.id,
      });
      const activation = (await findActivation(trx, id, now))!;
      const deliveries = await queueBreakGlassNotice(
        trx,
        deps.index,
        'break_glass.activated',
        group,
        activation,
        now,
      );
      events.push(event, {
        type: 'break_glass.activated',
        actorId: actor.id,
        subjects: activationSubjects(activation),
        data: {
          reason,
          grantId: grant.id,
          expiresAt: activation.expiresAt,
          durationMinutes: settings.durationMinutes,
          superseded: superseded.map((a) => a.id),
          deliveries,
        },
      });
      return { result: { ...activation, deliveries }, events };
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_break_glass_user')
      await recordDenial(deps, actor, groupId, rawReason);
    throw err;
  }
}
