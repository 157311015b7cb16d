import { CLOSING_EFFECTS } from '../../domain/access-reviews/decisions.js';
import { survivingPath, type ReviewedItem } from '../../domain/access-reviews/remaining-access.js';
import { revokedRows, writeEffects } from '../../store/access-review-effects.js';
import { removedEdgeRanges } from '../../store/access-review-edge-effects.js';
import type { ReviewRowWithPath } from '../../store/access-review-rows.js';
import { blockRowsIn, materializeRows } from '../../store/access-review-virtual-rows.js';
import type { ReviewRowRecord } from '../../store/schema-access-reviews.js';
import { itemNamesByIds } from '../../store/item-names.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import type { CloseState } from './apply-decisions.js';
import { rowWindows } from './row-windows.js';

/**
 * Once every effect of a close is known: a user whose revoked row's access they still hold (another grant, or a
 * nesting path this close left standing) has it said in the row's effect, with that path. The access index
 * answers as of before the close, so paths through what this close ended are set aside. Rows read from blocks
 * that auto-revocation revoked are written to the rows when they get such an effect.
 */
export async function noteRemainingAccess(
  deps: Pick<OpsDeps, 'index'>,
  trx: Tx,
  s: CloseState,
): Promise<void> {
  for (const w of rowWindows(s.review.row_count)) {
    const rows = await revokedRows(trx, s.review.id, w);
    if (rows.length > 0) await writeEffects(trx, s.review.id, await stillHeld(deps, trx, s, rows));
  }
  if (!s.review.auto_revoke_unreviewed) return;
  for (const range of await removedEdgeRanges(trx, s.review.id))
    for (const w of rowWindows(range.to - range.from)) {
      const window = { from: range.from + w.from, to: Math.min(range.to, range.from + w.to) };
      const rows = (await blockRowsIn(trx, s.review.id, window)).filter(
        (r) => r.effect === CLOSING_EFFECTS.revoked,
      );
      const effects = await stillHeld(deps, trx, s, rows);
      await materializeRows(
        trx,
        s.review.id,
        effects.map((e) => e.position),
      );
      await writeEffects(trx, s.review.id, effects);
    }
}

/** The effects of the revoked rows whose user still has the access, naming the path they still have it through. */
async function stillHeld(
  deps: Pick<OpsDeps, 'index'>,
  trx: Tx,
  s: CloseState,
  rows: (ReviewRowRecord | ReviewRowWithPath)[],
): Promise<{ position: number; effect: string }[]> {
  const removed = new Set(s.removedEdges.values());
  const held = rows.flatMap((r) => {
    const item: ReviewedItem = r.group_id
      ? { groupId: r.group_id }
      : { resourceId: r.resource_id!, accessLevel: r.access_level! };
    const paths = deps.index.check(r.user_id, item, s.now.getTime()).via;
    const path = survivingPath(paths, item, s.endedGrantIds, removed);
    return path ? [{ row: r, path }] : [];
  });
  if (held.length === 0) return [];
  const names = await itemNamesByIds(
    trx,
    held.flatMap((h) => h.path.groupIds),
    held.flatMap((h) => (h.row.resource_id ? [h.row.resource_id] : [])),
  );
  const name = (id: string) => names.get(id) ?? id;
  return held.map(({ row, path }) => ({
    position: row.position,
    effect: `revoked: still has access through ${
      path.groupIds.length
        ? [...path.groupIds, ...(row.resource_id ? [row.resource_id] : [])].map(name).join(' > ')
        : `another grant on ${name(row.resource_id ?? row.group_id!)}`
    }`,
  }));
}
