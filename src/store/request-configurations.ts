import type { Kysely, Transaction } from 'kysely';
import { canonicalStages, type RequestConfiguration, type ReviewerStage } from '../domain/request-config.js';
import type { Database, RequestConfigurationRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Per-item request configurations, one row per entry. An item without rows is not requestable.

const toConfiguration = (r: RequestConfigurationRow): RequestConfiguration => ({
  priority: r.priority,
  condition: r.condition_group_ids === null ? null : { groupIds: r.condition_group_ids },
  requestable: r.requestable,
  autoApprove: r.auto_approve,
  maxDurationMinutes: r.max_duration_minutes,
  recommendedDurationMinutes: r.recommended_duration_minutes,
  requireReason: r.require_reason,
  reviewerStages: canonicalStages(r.reviewer_stages as ReviewerStage[]),
});

export async function readConfigurations(db: Db, itemId: string): Promise<RequestConfiguration[]> {
  const rows = await db
    .selectFrom('request_configurations')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('priority')
    .execute();
  return rows.map(toConfiguration);
}

/** The configurations of a page of items in one query; items without any map to an empty list. */
export async function configurationsByItem(
  db: Db,
  itemIds: string[],
): Promise<Map<string, RequestConfiguration[]>> {
  const map = new Map<string, RequestConfiguration[]>(itemIds.map((id) => [id, []]));
  if (itemIds.length === 0) return map;
  const rows = await db
    .selectFrom('request_configurations')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('item_id')
    .orderBy('priority')
    .execute();
  for (const r of rows) map.get(r.item_id)?.push(toConfiguration(r));
  return map;
}

export async function replaceConfigurations(
  db: Db,
  itemId: string,
  list: RequestConfiguration[],
  by: string,
  now: Date,
): Promise<void> {
  await db.deleteFrom('request_configurations').where('item_id', '=', itemId).execute();
  if (list.length === 0) return;
  await db
    .insertInto('request_configurations')
    .values(
      list.map((e) => ({
        item_id: itemId,
        priority: e.priority,
        condition_group_ids: e.condition?.groupIds ?? null,
        requestable: e.requestable,
        auto_approve: e.autoApprove,
        max_duration_minutes: e.maxDurationMinutes,
        recommended_duration_minutes: e.recommendedDurationMinutes,
        require_reason: e.requireReason,
        reviewer_stages: JSON.stringify(e.reviewerStages),
        updated_at: now,
        updated_by: by,
      })),
    )
    .execute();
}
