import type { ColumnType, Generated, Selectable } from 'kysely';

// Table types of access review campaigns (migrations 0019 to 0022).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Counter = ColumnType<number, number | undefined, number>;

export interface AccessReviewsTable {
  id: string;
  name: string;
  status: ColumnType<string, string | undefined, string>;
  scope: Json<{ groupIds: string[]; resourceIds: string[]; connectionIds: string[]; everything: boolean }>;
  reviewers: Json<{ type: string; userIds: string[]; fallbackUserIds: string[] }>;
  auto_revoke_unreviewed: boolean;
  allow_self_review: boolean;
  created_by: string;
  created_at: Timestamp;
  deadline: Timestamp;
  closed_at: NullableTime;
  closed_by: Nullable<string>;
  row_count: Counter;
  /** Rows that need a decision. */
  total: Counter;
  /** Of those, rows decided. */
  decided: Counter;
  /** What closing did, by kind of effect. */
  outcome: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
}

/** The items of the campaign, with their names and owner group as of its start. */
export interface AccessReviewItemsTable {
  review_id: string;
  item_id: string;
  item_type: string;
  name: string;
  owner_group_id: string | null;
  /** Where the item's rows are (rows are numbered item by item); null while it has none. */
  first_position: Nullable<number>;
  last_position: Nullable<number>;
  /** Its rows reviewed by the item's reviewers (not own_reviewers), and those of them needing a decision. */
  shared_rows: Counter;
  shared_open: Counter;
  /** Its rows given by a grant on the item itself: they come first in its run, its nested rows after. */
  direct_rows: Counter;
}

/** Whom each item's rows start from: its primary reviewers, or the fallback when it has none. */
export interface AccessReviewItemReviewersTable {
  review_id: string;
  item_id: string;
  reviewer_id: string;
}

/** With reviewer type owners: each item's owners as of the start, whom its rows start from. */
export interface AccessReviewCandidatesTable {
  review_id: string;
  item_id: string;
  user_id: string;
}

/** A nesting path shown on rows: from the group a member's grant is on down to the item. */
export interface AccessReviewPathsTable {
  review_id: string;
  path_no: number;
  edge_id: string;
  item_id: string;
  access_level: string | null;
  parent_group_id: string;
  from_group_id: string;
  group_ids: string[];
  ends_at: Date | null;
}

/** A group whose members reach a parent group of an edge into an item, by its shortest live path. */
export interface AccessReviewSourcesTable {
  review_id: string;
  parent_group_id: string;
  from_group_id: string;
  depth: number;
  /** Order among the parent's sources with the same depth: which path a row shows when two last as long. */
  rank: number;
  ends_at: Date | null;
}

/**
 * The users reaching a parent group as of the start, a chunk of them at a time, in row order: each with the group
 * their access comes from and when it ends (null: no end). `open` counts those ending after the deadline.
 */
export interface AccessReviewBlocksTable {
  review_id: string;
  parent_group_id: string;
  chunk_no: number;
  user_ids: string[];
  from_group_ids: string[];
  ends: (Date | null)[];
  entries: number;
  open: number;
}

/** An edge into an item: its nested rows are positions first_position .. first_position + row_count - 1. */
export interface AccessReviewEdgesTable {
  review_id: string;
  edge_id: string;
  item_id: string;
  group_id: string | null;
  resource_id: string | null;
  access_level: string | null;
  parent_group_id: string;
  ends_at: Date | null;
  first_position: Nullable<number>;
  row_count: number;
  open_count: number;
  /** What closing did to the edge: removed it, or found it already gone. */
  closing: Nullable<string>;
}

export interface AccessReviewRowsTable {
  review_id: string;
  position: number;
  user_id: string;
  item_id: string;
  group_id: string | null;
  resource_id: string | null;
  access_level: string | null;
  grant_id: string | null;
  edge_id: string | null;
  parent_group_id: string | null;
  path_no: number | null;
  access_ends_at: Date | null;
  needs_decision: boolean;
  /** Reviewed by its own assignments (its user is one of its item's reviewers), not by its item's reviewers. */
  own_reviewers: Generated<boolean>;
  decision: Nullable<string>;
  keep_until: NullableTime;
  decided_by: Nullable<string>;
  decided_at: NullableTime;
  comment: Nullable<string>;
  effect: Nullable<string>;
}

/** The reviewers of each row with own_reviewers. */
export interface AccessReviewAssignmentsTable {
  review_id: string;
  reviewer_id: string;
  position: number;
}

/** Each reviewer's share of the campaign: rows that need a decision, and how many they decided. */
export interface AccessReviewReviewersTable {
  review_id: string;
  reviewer_id: string;
  total: number;
  decided: Counter;
}

export interface AccessReviewDelegationsTable {
  review_id: string;
  from_user_id: string;
  to_user_id: string;
  until: Timestamp;
  created_by: string;
  created_at: Timestamp;
}

export interface AccessReviewRemindersTable {
  review_id: string;
  kind: string;
  sent_at: Timestamp;
}

export interface AccessReviewTables {
  access_reviews: AccessReviewsTable;
  access_review_items: AccessReviewItemsTable;
  access_review_item_reviewers: AccessReviewItemReviewersTable;
  access_review_candidates: AccessReviewCandidatesTable;
  access_review_paths: AccessReviewPathsTable;
  access_review_sources: AccessReviewSourcesTable;
  access_review_blocks: AccessReviewBlocksTable;
  access_review_edges: AccessReviewEdgesTable;
  access_review_rows: AccessReviewRowsTable;
  access_review_assignments: AccessReviewAssignmentsTable;
  access_review_reviewers: AccessReviewReviewersTable;
  access_review_delegations: AccessReviewDelegationsTable;
  access_review_reminders: AccessReviewRemindersTable;
}

export type AccessReviewRow = Selectable<AccessReviewsTable>;
export type ReviewRowRecord = Selectable<AccessReviewRowsTable>;
export type DelegationRow = Selectable<AccessReviewDelegationsTable>;
