import { invalid } from '../errors.js';
import { timestampMs } from '../timestamps.js';

// A reviewer's decision on rows of a campaign, and what closing the campaign does with it.

export const DECISIONS = ['keep', 'revoke', 'shorten'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface DecisionInput {
  decision: Decision;
  keepUntil?: string | undefined;
  comment?: string | undefined;
}

export interface ParsedDecision {
  decision: Decision;
  keepUntil: Date | null;
  comment: string | null;
}

/** A decision as given: revoking needs a comment saying why; shortening needs a keepUntil in the future. */
export function parseDecision(input: DecisionInput, now: Date): ParsedDecision {
  const comment = input.comment?.trim() || null;
  if (input.decision === 'revoke' && comment === null)
    throw invalid('comment', 'say why the access is revoked');
  if (input.decision !== 'shorten') {
    if (input.keepUntil !== undefined) throw invalid('keepUntil', 'is only for the shorten decision');
    return { decision: input.decision, keepUntil: null, comment };
  }
  if (input.keepUntil === undefined)
    throw invalid('keepUntil', 'shorten needs the date access is kept until');
  const ms = timestampMs(input.keepUntil);
  if (ms === null) throw invalid('keepUntil', 'must be an RFC 3339 date-time');
  if (ms <= now.getTime()) throw invalid('keepUntil', 'must be in the future');
  return { decision: 'shorten', keepUntil: new Date(ms), comment };
}

/** What a row's access comes from, as far as shortening it is concerned. */
export type RowSource = { kind: 'grant'; grantEnd: Date | null } | { kind: 'edge' };

/**
 * Shortening sets a grant's end. A nesting edge gives every member of its group the item, so one member's row
 * cannot shorten it; and a keepUntil past the grant's current end would lengthen access, not shorten it.
 */
export function checkShorten(rowId: string, source: RowSource, keepUntil: Date): void {
  if (source.kind === 'edge')
    throw invalid('rowIds', `row ${rowId} is access through a nesting edge: keep it or revoke it`);
  if (source.grantEnd !== null && keepUntil.getTime() > source.grantEnd.getTime())
    throw invalid(
      'keepUntil',
      `row ${rowId}'s access already ends at ${source.grantEnd.toISOString()}; a later date would lengthen it`,
    );
}

export type ClosingAction = 'keep' | 'revoke' | 'shorten' | 'none';

/**
 * What closing does with a row: its decision, with autoRevokeUnreviewed an undecided row that needs a decision
 * is revoked, and a keepUntil that has passed meanwhile ends the access now.
 */
export function closingAction(
  row: { decision: Decision | null; keepUntil: Date | null; needsDecision: boolean },
  autoRevokeUnreviewed: boolean,
  now: Date,
): ClosingAction {
  if (row.decision === null) return autoRevokeUnreviewed && row.needsDecision ? 'revoke' : 'none';
  if (row.decision === 'shorten' && row.keepUntil !== null && row.keepUntil.getTime() <= now.getTime())
    return 'revoke';
  return row.decision;
}

/**
 * What closing did with a row it did not act on: kept, or left without a decision. Not stored (a campaign may
 * have millions of such rows): read from the row's decision once the campaign is closed.
 */
export function restingEffect(decision: Decision | null, needsDecision: boolean): string {
  if (decision === 'keep') return 'kept';
  return needsDecision ? 'no decision' : 'no decision needed: the access ends before the deadline';
}

/**
 * Effects closing gives a row through what it did to the row's grant or edge; the store writes them, or reads
 * them off an edge for rows read from blocks.
 */
export const CLOSING_EFFECTS = {
  revoked: 'revoked',
  alreadyEnded: 'skipped: already ended',
  edgeRemovedForAnother: 'revoked: its nesting edge was removed for another row',
} as const;

/** The kind of an effect, as the campaign's outcome counts it: its text up to a colon. */
export const effectKind = (effect: string) => effect.split(':', 1)[0]!;

/** How a grant that a campaign revoked ended (its endReason). */
export const ACCESS_REVIEW_END_REASON = 'access_review';
