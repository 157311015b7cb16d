import type { Command } from 'commander';
import { apiRequest, CliError, clientConfigFromEnv, print, type ClientConfig } from '../client.js';
import { resolveGroup, resolveItem } from '../resolve.js';
import { resolveConnection } from './connections.js';

interface RemoteLink {
  connectionId: string;
  remoteId: string;
  remoteName: string;
  accessLevel?: string;
}
interface LinkedItem {
  id: string;
  name: string;
  remote: RemoteLink | null;
}
interface RemoteItem {
  remoteId: string;
  name: string;
  kind: string;
  linkedItemId: string | null;
}

const enc = encodeURIComponent;
const ITEM_HELP = 'group id or name, or a resource as res_ID:LEVEL / resource:NAME:LEVEL';

/** The remote item by its id, else by its name (exact, then regardless of case); an ambiguous name is refused. */
async function resolveRemote(
  cfg: ClientConfig,
  connection: { id: string; name: string },
  ref: string,
): Promise<RemoteItem> {
  const { items } = await apiRequest<{ items: RemoteItem[] }>(
    cfg,
    'GET',
    `/connections/${enc(connection.id)}/remote-items`,
  );
  const byId = items.find((i) => i.remoteId === ref);
  if (byId) return byId;
  let named = items.filter((i) => i.name === ref);
  if (named.length === 0) named = items.filter((i) => i.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new CliError(
      `several remote items in ${connection.name} are named '${ref}': give one of their ids ` +
        named.map((i) => i.remoteId).join(', '),
    );
  throw new CliError(
    `no remote item '${ref}' in ${connection.name} (see \`latch connections remote-items ${connection.name}\`)`,
  );
}

/** A resource id or name without its level (unlinking needs none), or an item as the other commands take it. */
async function resolveItemPath(cfg: ClientConfig, ref: string, needLevel: boolean) {
  if (!needLevel) {
    if (/^res_[^:]+$/.test(ref)) return { path: `/resources/${enc(ref)}`, accessLevel: undefined };
    const named = /^resource:([^:]+)$/.exec(ref);
    if (named) {
      const page = await apiRequest<{ items: { id: string; name: string }[] }>(
        cfg,
        'GET',
        `/resources?query=${enc(named[1]!)}&limit=500`,
      );
      const match = page.items.find((i) => i.name.toLowerCase() === named[1]!.toLowerCase());
      if (!match) throw new CliError(`no resource named '${named[1]}'`);
      return { path: `/resources/${enc(match.id)}`, accessLevel: undefined };
    }
    if (!ref.startsWith('res_') && !ref.startsWith('resource:'))
      return { path: `/groups/${enc(await resolveGroup(cfg, ref))}`, accessLevel: undefined };
  }
  const item = await resolveItem(cfg, ref);
  return 'groupId' in item
    ? { path: `/groups/${enc(item.groupId)}`, accessLevel: undefined }
    : { path: `/resources/${enc(item.resourceId)}`, accessLevel: item.accessLevel };
}

// link and unlink: a group's (or a resource level's) effective members become members of a role or group in a
// connected system, and stop being members there when the link goes (admins).
export function registerLinkCommands(program: Command) {
  program
    .command('link')
    .description(
      "make ITEM's effective members members of a role or group in a connected system, from now on (admins)",
    )
    .argument('<item>', ITEM_HELP)
    .argument('<connection>', 'connection id or name')
    .argument('<remote>', 'remote id or name, as `latch connections remote-items CONNECTION` lists them')
    .option(
      '--adopt-members',
      "make the remote item's current members standing direct grants of ITEM (without it they are drift)",
    )
    .option('--json', 'print JSON')
    .action(
      async (
        itemRef: string,
        connectionRef: string,
        remoteRef: string,
        opts: { json?: boolean; adoptMembers?: boolean },
      ) => {
        const cfg = clientConfigFromEnv(process.env);
        const [item, connection] = await Promise.all([
          resolveItemPath(cfg, itemRef, true),
          resolveConnection(cfg, connectionRef),
        ]);
        const remote = await resolveRemote(cfg, connection, remoteRef);
        const linked = await apiRequest<LinkedItem>(cfg, 'PATCH', item.path, {
          remote: {
            connectionId: connection.id,
            remoteId: remote.remoteId,
            ...(item.accessLevel !== undefined ? { accessLevel: item.accessLevel } : {}),
            ...(opts.adoptMembers ? { adoptMembers: true } : {}),
          },
        });
        print(
          !!opts.json,
          linked,
          () =>
            `linked ${linked.name} to ${remote.kind} '${linked.remote?.remoteName ?? remote.name}' ` +
            `(${remote.remoteId}) in ${connection.name}; its members are provisioned there from now on` +
            (opts.adoptMembers ? ' (the members it had there were adopted as direct grants)' : ''),
        );
      },
    );

  program
    .command('unlink')
    .description('end the link of ITEM; Latch takes out every account it put in the remote item (admins)')
    .argument('<item>', 'group id or name, or a resource as res_ID / resource:NAME (a level is not needed)')
    .option('--json', 'print JSON')
    .action(async (itemRef: string, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const item = await resolveItemPath(cfg, itemRef, false);
      const before = await apiRequest<LinkedItem>(cfg, 'GET', item.path);
      if (!before.remote) {
        print(!!opts.json, before, () => `${before.name} is not linked`);
        return;
      }
      const link = before.remote;
      const after = await apiRequest<LinkedItem>(cfg, 'PATCH', item.path, { remote: null });
      const connection = await apiRequest<{ name: string }>(
        cfg,
        'GET',
        `/connections/${enc(link.connectionId)}`,
      );
      print(
        !!opts.json,
        after,
        () =>
          `unlinked ${after.name} from '${link.remoteName}' in ${connection.name}; ` +
          'Latch takes out the accounts it put there',
      );
    });
}
