import type { EdgeFact, GrantFact, GrantSource } from '../domain/access-facts.js';
import { grantEnd } from '../domain/grants.js';
import type { AssetRow, GrantRow } from '../store/schema.js';

// Store rows reduced to the facts the index needs.

export function grantFact(r: GrantRow): GrantFact {
  const end = grantEnd(r.expires_at, r.ended_at);
  return {
    id: r.id,
    userId: r.user_id,
    groupId: r.group_id,
    resourceId: r.resource_id,
    accessLevel: r.access_level,
    source: r.source as GrantSource,
    startsAt: r.starts_at.getTime(),
    endsAt: end ? end.getTime() : null,
  };
}

export function edgeFact(r: AssetRow): EdgeFact {
  // A removed edge ends at its removal; callers drop it from the index instead.
  const end = r.removed_at ?? r.expires_at;
  return {
    id: r.id,
    parentGroupId: r.group_id,
    childGroupId: r.asset_group_id,
    resourceId: r.asset_resource_id,
    accessLevel: r.access_level,
    endsAt: end ? end.getTime() : null,
    since: r.created_at.getTime(),
  };
}
