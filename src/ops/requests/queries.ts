import { notFound } from '../../domain/errors.js';
import type { RequestConfiguration } from '../../domain/request-config.js';
import type { AccessRequest } from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import { findGroup } from '../../store/groups.js';
import { readConfigurations } from '../../store/request-configurations.js';
import { listRequests as storeList, type RequestFilter } from '../../store/request-queries.js';
import { findResource } from '../../store/resources.js';
import type { OpsDeps } from '../shared/deps.js';
import { listScopeFor } from '../shared/list-scope.js';
import { visibleRequest } from './visibility.js';

// Reads of requests and request configurations. Configurations are shown to every signed-in user (the durations
// and the need for a reason are shown before asking); requests to the people in them, reviewers and owners.

export type RequestListFilter = Omit<RequestFilter, 'visibleTo' | 'reviewableBy'> & { reviewable?: boolean };

export async function listRequests(
  deps: OpsDeps,
  actor: Actor,
  f: RequestListFilter,
): Promise<AccessRequest[]> {
  const { reviewable, ...rest } = f;
  const visibleTo = await listScopeFor(deps, actor);
  return storeList(
    deps.db,
    { ...rest, reviewableBy: reviewable ? actor.id : undefined, visibleTo },
    deps.now(),
  );
}

export const getRequest = (deps: OpsDeps, actor: Actor, id: string): Promise<AccessRequest> =>
  visibleRequest(deps.db, deps, actor, id, deps.now());

export async function requestConfigurations(
  deps: OpsDeps,
  item: { groupId: string } | { resourceId: string },
): Promise<RequestConfiguration[]> {
  if ('groupId' in item) {
    if (!(await findGroup(deps.db, item.groupId))) throw notFound('group', item.groupId);
    return readConfigurations(deps.db, item.groupId);
  }
  if (!(await findResource(deps.db, item.resourceId))) throw notFound('resource', item.resourceId);
  return readConfigurations(deps.db, item.resourceId);
}
