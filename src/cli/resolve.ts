import { apiRequest, CliError, type ClientConfig } from './client.js';

// People type names and e-mails. The API takes a user's e-mail wherever it takes their id; groups and
// resources are found by name through the API.

interface Named {
  id: string;
  name: string;
}

/** A user's id or e-mail goes to the API as given (it takes either); `me` is the caller. */
export async function resolveUser(cfg: ClientConfig, ref: string): Promise<string> {
  if (ref === 'me') return (await apiRequest<{ id: string }>(cfg, 'GET', '/me')).id;
  return ref;
}

async function resolveByName(cfg: ClientConfig, kind: 'groups' | 'resources', ref: string): Promise<string> {
  const page = await apiRequest<{ items: Named[] }>(
    cfg,
    'GET',
    `/${kind}?query=${encodeURIComponent(ref)}&limit=500`,
  );
  const match = page.items.find((i) => i.name.toLowerCase() === ref.toLowerCase());
  if (!match) throw new CliError(`no ${kind === 'groups' ? 'group' : 'resource'} named '${ref}'`);
  return match.id;
}

export const resolveGroup = (cfg: ClientConfig, ref: string) =>
  ref.startsWith('grp_') ? Promise.resolve(ref) : resolveByName(cfg, 'groups', ref);

export const resolveResource = (cfg: ClientConfig, ref: string) =>
  ref.startsWith('res_') ? Promise.resolve(ref) : resolveByName(cfg, 'resources', ref);

export type ItemRef = { groupId: string } | { resourceId: string; accessLevel: string };

/** ITEM is a group (id or name) or a resource with its level: `res_…:read` or `resource:NAME:read`. */
export async function resolveItem(cfg: ClientConfig, ref: string): Promise<ItemRef> {
  const resource = /^(res_[^:]+|resource:(.+)):([^:]+)$/.exec(ref);
  if (resource) {
    const id = resource[2] !== undefined ? await resolveByName(cfg, 'resources', resource[2]) : resource[1]!;
    return { resourceId: id, accessLevel: resource[3]! };
  }
  if (ref.startsWith('res_')) throw new CliError(`give the access level too: ${ref}:LEVEL`);
  return { groupId: await resolveGroup(cfg, ref) };
}

export const itemQuery = (item: ItemRef) =>
  'groupId' in item
    ? `groupId=${encodeURIComponent(item.groupId)}`
    : `resourceId=${encodeURIComponent(item.resourceId)}&accessLevel=${encodeURIComponent(item.accessLevel)}`;
