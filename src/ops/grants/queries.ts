import { notFound } from '../../domain/errors.js';
import type { Grant } from '../../domain/grants.js';
import type { Actor } from '../../domain/users.js';
import {
  findGrantRow,
  listGrants as storeListGrants,
  toGrant,
  type GrantFilter,
} from '../../store/grants.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { authorize, heldFacts } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { listScopeFor } from '../shared/list-scope.js';

// Reads of the grant ledger: admins and auditors see every grant, others their own and those on items they own.

export type GrantListFilter = Omit<GrantFilter, 'visibleTo'>;

export async function listGrants(deps: OpsDeps, actor: Actor, f: GrantListFilter): Promise<Grant[]> {
  const visibleTo = await listScopeFor(deps, actor);
  return storeListGrants(deps.db, { ...f, visibleTo }, deps.now());
}

export async function getGrant(deps: OpsDeps, actor: Actor, id: string): Promise<Grant> {
  const now = deps.now();
  const row = await findGrantRow(deps.db, id);
  if (!row) throw notFound('grant', id);
  const item = row.group_id
    ? await findGroup(deps.db, row.group_id)
    : await findResource(deps.db, row.resource_id!);
  authorize(actor, 'grant', 'view', heldFacts(deps, actor, row.user_id, item), () => notFound('grant', id));
  return toGrant(row, now);
}
