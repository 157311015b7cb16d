import {
  ACCESS_REVIEW_END_REASON,
  CLOSING_EFFECTS,
  closingAction,
  type ClosingAction,
  type Decision,
} from '../../domain/access-reviews/decisions.js';
import { edgeKey } from '../../domain/access-reviews/remaining-access.js';
import { edgesWithOpenBlockRows } from '../../store/access-review-edge-effects.js';
import { removeLiveAssets } from '../../store/assets.js';
import type { NewEvent } from '../../store/events.js';
import { endLiveGrants, grantRowsByIds, shortenLiveGrants } from '../../store/grants.js';
import type { AssetRow, GrantRow } from '../../store/schema.js';
import type { AccessReviewRow, ReviewRowRecord } from '../../store/schema-access-reviews.js';
import { grantSubjects } from '../grants/index.js';
import { assetSubjects } from '../items/index.js';
import type { Tx } from '../shared/deps.js';

// Applying one batch of a closing campaign's rows: revoked grants end (grant.revoked), revoked nesting edges are
// removed (asset.removed), shortened grants get their new end (grant.shortened), each set-based and each effect
// an event naming the campaign. A grant or edge that has already ended is skipped and the row says so; an edge
// several rows share is removed once. Rows read from blocks are undecided: only auto-revocation acts on them, by
// their edge.

export interface CloseState {
  review: AccessReviewRow;
  actorId: string | null;
  now: Date;
  events: NewEvent[];
  endedGrantIds: Set<string>;
  /** Edges this close removed, by id, as edge keys (remaining-access.ts). */
  removedEdges: Map<string, string>;
}

const ISO = (d: Date) => d.toISOString();

function eventsFor(s: CloseState, rowOf: Map<string, ReviewRowRecord>) {
  const campaign = { type: 'access_review', id: s.review.id };
  const about = (r: ReviewRowRecord | undefined) => ({
    accessReviewId: s.review.id,
    rowId: r ? String(r.position) : null,
    decidedBy: r?.decided_by ?? null,
  });
  return {
    revoked: (g: GrantRow): NewEvent => ({
      type: 'grant.revoked',
      actorId: s.actorId,
      subjects: [...grantSubjects(g), campaign],
      data: { source: g.source, reason: ACCESS_REVIEW_END_REASON, ...about(rowOf.get(g.id)) },
    }),
    shortened: (g: GrantRow & { previous_expires_at: Date | null }): NewEvent => ({
      type: 'grant.shortened',
      actorId: s.actorId,
      subjects: [...grantSubjects(g), campaign],
      data: {
        expiresAt: g.expires_at && ISO(g.expires_at),
        previousExpiresAt: g.previous_expires_at && ISO(new Date(g.previous_expires_at)),
        ...about(rowOf.get(g.id)),
      },
    }),
    removed: (a: AssetRow): NewEvent => ({
      type: 'asset.removed',
      actorId: s.actorId,
      subjects: [
        ...assetSubjects({
          id: a.id,
          groupId: a.group_id,
          assetGroupId: a.asset_group_id,
          assetResourceId: a.asset_resource_id,
        }),
        campaign,
      ],
      data: { accessLevel: a.access_level, ...about(rowOf.get(a.id)) },
    }),
  };
}

function skipped(g: GrantRow | undefined, keepUntil: Date | null, now: Date): string {
  if (g?.source === 'idp') return 'skipped: managed by the identity provider';
  if (!g || g.ended_at !== null || (g.expires_at !== null && g.expires_at <= now))
    return CLOSING_EFFECTS.alreadyEnded;
  return keepUntil && g.expires_at
    ? `skipped: already ends at ${ISO(g.expires_at)}`
    : CLOSING_EFFECTS.alreadyEnded;
}

function noteRemoved(s: CloseState, removed: AssetRow[]): void {
  for (const a of removed)
    s.removedEdges.set(
      a.id,
      edgeKey(
        a.group_id,
        a.asset_group_id
          ? { groupId: a.asset_group_id }
          : { resourceId: a.asset_resource_id!, accessLevel: a.access_level! },
      ),
    );
}

/**
 * With autoRevokeUnreviewed: removes each edge that has rows read from blocks needing a decision (undecided, as
 * nothing was said of them), unless this close already did. Returns the edges found already gone.
 */
export async function revokeBlockEdges(trx: Tx, s: CloseState): Promise<string[]> {
  const ids = (await edgesWithOpenBlockRows(trx, s.review.id)).filter((id) => !s.removedEdges.has(id));
  const removed = await removeLiveAssets(trx, ids, s.now, s.actorId);
  noteRemoved(s, removed);
  s.events.push(...removed.map(eventsFor(s, new Map()).removed));
  return ids.filter((id) => !s.removedEdges.has(id));
}

/** Applies a batch; returns each row's effect. */
export async function applyBatch(
  trx: Tx,
  s: CloseState,
  rows: ReviewRowRecord[],
): Promise<{ position: number; effect: string }[]> {
  const acts = rows.map((row) => ({
    row,
    action: closingAction(
      {
        decision: row.decision as Decision | null,
        keepUntil: row.keep_until,
        needsDecision: row.needs_decision,
      },
      s.review.auto_revoke_unreviewed,
      s.now,
    ),
  }));
  const by = (a: ClosingAction, grant: boolean) =>
    acts.filter((x) => x.action === a && (x.row.grant_id !== null) === grant).map((x) => x.row);
  const rowOf = new Map<string, ReviewRowRecord>();
  for (const { row } of acts) rowOf.set((row.grant_id ?? row.edge_id)!, row);
  const make = eventsFor(s, rowOf);

  const ended = await endLiveGrants(
    trx,
    by('revoke', true).map((r) => r.grant_id!),
    s.now,
    s.actorId,
    ACCESS_REVIEW_END_REASON,
  );
  for (const g of ended) s.endedGrantIds.add(g.id);
  const shortened = await shortenLiveGrants(
    trx,
    by('shorten', true).map((r) => ({ id: r.grant_id!, until: new Date(r.keep_until!) })),
    s.now,
  );
  const edgeIds = [...new Set(by('revoke', false).map((r) => r.edge_id!))].filter(
    (id) => !s.removedEdges.has(id),
  );
  const removed = await removeLiveAssets(trx, edgeIds, s.now, s.actorId);
  noteRemoved(s, removed);
  s.events.push(...ended.map(make.revoked), ...shortened.map(make.shortened), ...removed.map(make.removed));

  const shortenedIds = new Set(shortened.map((g) => g.id));
  const untouched = acts.filter(
    (x) => x.row.grant_id && !s.endedGrantIds.has(x.row.grant_id) && !shortenedIds.has(x.row.grant_id),
  );
  const grants = new Map(
    (
      await grantRowsByIds(
        trx,
        untouched.map((x) => x.row.grant_id!),
      )
    ).map((g) => [g.id, g]),
  );
  return acts.map(({ row, action }) => {
    let effect: string;
    if (row.edge_id)
      effect = s.removedEdges.has(row.edge_id) ? CLOSING_EFFECTS.revoked : CLOSING_EFFECTS.alreadyEnded;
    else if (action === 'revoke')
      effect = s.endedGrantIds.has(row.grant_id!)
        ? CLOSING_EFFECTS.revoked
        : skipped(grants.get(row.grant_id!), null, s.now);
    else if (shortenedIds.has(row.grant_id!)) effect = `shortened: until ${ISO(new Date(row.keep_until!))}`;
    else effect = skipped(grants.get(row.grant_id!), row.keep_until, s.now);
    return { position: row.position, effect };
  });
}
