import { liveAssetIdsTouching, markAssetRemoved } from '../../store/assets.js';
import { endGrantRow, liveGrantIdsOnItem } from '../../store/grants.js';
import type { Tx } from './deps.js';

/**
 * Deleting an item ends every grant on it and removes every edge into or out of it, recording each in the
 * ledger. Returns their ids so the deletion event names them (which is also how other processes learn of them).
 */
export async function endItemAccess(trx: Tx, itemId: string, at: Date, actorId: string, reason: string) {
  const grantIds = await liveGrantIdsOnItem(trx, itemId);
  for (const id of grantIds) await endGrantRow(trx, id, at, actorId, reason);
  const assetIds = await liveAssetIdsTouching(trx, itemId);
  for (const id of assetIds) await markAssetRemoved(trx, id, at, actorId);
  return [...grantIds.map((id) => ({ type: 'grant', id })), ...assetIds.map((id) => ({ type: 'asset', id }))];
}
