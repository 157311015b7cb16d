import type { Activation } from '../../domain/break-glass.js';
import { endActivationRow } from '../../store/break-glass.js';
import type { NewEvent } from '../../store/events.js';
import { endGrantRow } from '../../store/grants.js';
import { activationSubjects } from './notices.js';
import type { Tx } from '../shared/deps.js';

/**
 * Ends an active activation and its grant together, with the same time and reason: the grant ledger and the
 * activations ledger never disagree about whether break-glass access is on. Returns the events to append.
 */
export async function endActivationAndGrant(
  trx: Tx,
  activation: Activation,
  now: Date,
  by: string,
  reason: string,
): Promise<NewEvent[]> {
  // Clocks of different processes may disagree by a little; an end never precedes its start.
  const activatedAt = new Date(activation.activatedAt);
  const at = now < activatedAt ? activatedAt : now;
  await endActivationRow(trx, activation.id, at, by, reason);
  await endGrantRow(trx, activation.grantId, at, by, reason);
  return [
    {
      type: 'grant.revoked',
      actorId: by,
      subjects: [
        { type: 'grant', id: activation.grantId },
        { type: 'user', id: activation.userId },
        { type: 'group', id: activation.groupId },
      ],
      data: { source: 'break_glass', reason },
    },
    {
      type: 'break_glass.ended',
      actorId: by,
      subjects: activationSubjects(activation),
      data: { endReason: reason, grantId: activation.grantId, endedAt: at.toISOString() },
    },
  ];
}
