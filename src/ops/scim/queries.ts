import type { Filter } from 'scim2-parse-filter';
import { ScimError } from '../../domain/scim/errors.js';
import { equalityLookup, matchesFilter, parseFilter } from '../../domain/scim/filter.js';
import { toScimGroup } from '../../domain/scim/group-resource.js';
import { project } from '../../domain/scim/projection.js';
import { toScimUser } from '../../domain/scim/user-resource.js';
import { idpMembers, scimGroups, scimUserById, scimUsers, type UserLookup } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of the SCIM service provider. Every Latch user and live group is listed (RFC 7644 §3.4.2): a provider
// matches its own users against them by userName or externalId before creating any. The lookups providers make
// (userName, externalId, id, e-mail, displayName equal to a value) use the store's indexes; other filters are
// evaluated on the resources as served.

export interface ScimLocations {
  user: (id: string) => string;
  group: (id: string) => string;
}

export interface ListQuery {
  filter?: string | undefined;
  startIndex?: number | undefined;
  count?: number | undefined;
  attributes?: string[] | undefined;
  excludedAttributes?: string[] | undefined;
}

export const MAX_PAGE = 1000;

export interface ListPage {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Record<string, unknown>[];
}

/** RFC 7644 §3.4.2.4: startIndex is 1-based (less than 1 means 1), count ≥ 0 (negative means 0). */
function window(q: ListQuery) {
  const startIndex = Math.max(1, Math.floor(q.startIndex ?? 1));
  const count = Math.min(MAX_PAGE, Math.max(0, Math.floor(q.count ?? 100)));
  return { startIndex, count };
}

function page(all: Record<string, unknown>[], q: ListQuery, type: 'User' | 'Group'): ListPage {
  const { startIndex, count } = window(q);
  const items = all.slice(startIndex - 1, startIndex - 1 + count).map((r) => project(r, q, type));
  return { totalResults: all.length, startIndex, itemsPerPage: items.length, Resources: items };
}

// Not e-mails: a user may have several, and only the primary one has its own column.
const USER_LOOKUPS: Record<string, UserLookup['by']> = {
  userName: 'userName',
  externalId: 'externalId',
  id: 'id',
};

export async function listScimUsers(deps: Pick<OpsDeps, 'db'>, q: ListQuery, at: ScimLocations) {
  const filter: Filter | undefined = q.filter === undefined ? undefined : parseFilter(q.filter);
  const eq = filter && equalityLookup(filter, 'User');
  const by = eq && USER_LOOKUPS[eq.attribute];
  const records = await scimUsers(deps.db, by && eq ? { by, value: eq.value } : { by: 'all' });
  let resources = records.map((r) => toScimUser(r, at.user(r.user.id)));
  if (filter) resources = resources.filter((r) => matchesFilter(r, filter, 'User'));
  return page(resources, q, 'User');
}

export async function getScimUser(
  deps: Pick<OpsDeps, 'db'>,
  id: string,
  q: Pick<ListQuery, 'attributes' | 'excludedAttributes'>,
  at: ScimLocations,
) {
  const record = await scimUserById(deps.db, id);
  if (!record || record.user.deprovisionedAt) throw new ScimError(404, `no user with id ${id}`);
  return project(toScimUser(record, at.user(id)), q, 'User');
}

const GROUP_LOOKUPS: Record<string, 'displayName' | 'externalId' | 'id'> = {
  displayName: 'displayName',
  externalId: 'externalId',
  id: 'id',
};

/** Members are read only when they can be served or filtered on (Entra ID lists with excludedAttributes=members). */
function needsMembers(q: ListQuery) {
  const named = (list: string[] | undefined) => list?.some((a) => /^members(\.|$)/i.test(a)) ?? false;
  if (q.filter && /members/i.test(q.filter)) return true;
  if (q.attributes) return named(q.attributes);
  return !named(q.excludedAttributes);
}

export async function listScimGroups(deps: Pick<OpsDeps, 'db'>, q: ListQuery, at: ScimLocations) {
  const filter: Filter | undefined = q.filter === undefined ? undefined : parseFilter(q.filter);
  const eq = filter && equalityLookup(filter, 'Group');
  const by = eq && GROUP_LOOKUPS[eq.attribute];
  const groups = await scimGroups(deps.db, by && eq ? { by, value: eq.value } : { by: 'all' });
  const members = needsMembers(q)
    ? await idpMembers(
        deps.db,
        groups.map((g) => g.id),
      )
    : new Map();
  let resources = groups.map((g) =>
    toScimGroup({ ...g, members: members.get(g.id) ?? [] }, at.group(g.id), at.user),
  );
  if (filter) resources = resources.filter((r) => matchesFilter(r, filter, 'Group'));
  return page(resources, q, 'Group');
}

export async function getScimGroup(
  deps: Pick<OpsDeps, 'db'>,
  id: string,
  q: Pick<ListQuery, 'attributes' | 'excludedAttributes'>,
  at: ScimLocations,
) {
  const [group] = await scimGroups(deps.db, { by: 'id', value: id });
  if (!group) throw new ScimError(404, `no group with id ${id}`);
  const members = needsMembers(q) ? ((await idpMembers(deps.db, [id])).get(id) ?? []) : [];
  return project(toScimGroup({ ...group, members }, at.group(id), at.user), q, 'Group');
}
