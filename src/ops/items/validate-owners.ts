import { invalid } from '../../domain/errors.js';
import { findGroup } from '../../store/groups.js';
import { findUsersByIds } from '../../store/users.js';
import type { Tx } from '../shared/deps.js';

/** Owners named on an item must exist: a typo must not silently leave an item unowned. */
export async function validateOwners(
  trx: Tx,
  ownerUserIds: string[] | undefined,
  ownerGroupId: string | null | undefined,
) {
  if (ownerUserIds?.length) {
    const unique = [...new Set(ownerUserIds)];
    const found = new Set((await findUsersByIds(trx, unique)).map((u) => u.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length) throw invalid('ownerUserIds', `unknown users: ${missing.join(', ')}`);
  }
  if (ownerGroupId && !(await findGroup(trx, ownerGroupId)))
    throw invalid('ownerGroupId', `unknown group: ${ownerGroupId}`);
}
