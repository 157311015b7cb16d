import {
  TargetError,
  type ChangeResult,
  type Connector,
  type RemoteItem,
  type TestResult,
} from '../connector.js';
import {
  parseScimConfig,
  parseScimSecrets,
  type ScimConnectorConfig,
  type ScimSecrets,
} from './scim-config.js';
import { ScimHttp, ScimTargetError, type ScimHttpOptions } from './scim-http.js';
import {
  filterValue,
  idOf,
  idSegment,
  memberIds,
  patchSupported,
  readList,
  short,
} from './scim-resources.js';
import { createUser, findUsers, theOne, userNamesById } from './scim-users.js';

// A SCIM 2.0 service provider (RFC 7644) as a connected system: a Latch grant is membership of one of its
// Groups, and accounts are its users' userNames. Latch is the client; every call goes through the guarded
// outbound client (scim-http.ts). Changes read the group first, so adding a member already there or removing
// one who is not changes nothing and says so.

export { parseScimConfig, parseScimSecrets, scimPolicy } from './scim-config.js';
export type { ScimConnectorConfig, ScimSecrets } from './scim-config.js';
export type { ScimHttpOptions as ScimConnectorOptions } from './scim-http.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const PAGE = 100;
/** 100,000 groups at most: a service whose paging never ends must not keep the engine busy forever. */
const MAX_PAGES = 1000;

/**
 * `options.outbound` decides where calls may go: the caller allows the connection's host (scimPolicy) as the
 * admin who configured it did. Throws a validation error for a config or secrets that do not parse.
 */
export function scimConnector(
  config: ScimConnectorConfig,
  secrets: ScimSecrets,
  options: ScimHttpOptions,
): Connector {
  const { baseUrl, createUsers } = parseScimConfig(config);
  const http = new ScimHttp(baseUrl, parseScimSecrets(secrets).bearerToken, options);

  const groupWhat = (id: string) => `the group ${short(id)}`;
  const gone = (id: string) => `the remote group ${short(id)} is gone`;

  const readMembers = async (groupId: string) => {
    const what = groupWhat(groupId);
    const body = await http.call({
      method: 'GET',
      path: `/Groups/${idSegment(groupId)}`,
      what,
      notFound: gone(groupId),
    });
    return memberIds(body, what);
  };

  const patch = (groupId: string, operation: Record<string, unknown>) =>
    http.call({
      method: 'PATCH',
      path: `/Groups/${idSegment(groupId)}`,
      body: { schemas: [PATCH_OP], Operations: [operation] },
      what: `changing the members of ${groupWhat(groupId)}`,
      notFound: gone(groupId),
    });

  return {
    async test(): Promise<TestResult> {
      try {
        const spc = await http.call({
          method: 'GET',
          path: '/ServiceProviderConfig',
          what: 'its configuration',
        });
        if (!patchSupported(spc))
          return {
            ok: false,
            detail: `The SCIM service at ${http.host} does not announce PATCH support (ServiceProviderConfig patch.supported); Latch changes group members with PATCH.`,
          };
        const what = 'the groups';
        const page = readList(
          await http.call({ method: 'GET', path: '/Groups?excludedAttributes=members&count=1', what }),
          what,
        );
        return {
          ok: true,
          detail: `Reached the SCIM service at ${http.host}: the token is accepted, PATCH is supported and ${page.totalResults} groups are visible.`,
        };
      } catch (err) {
        // TargetError messages name the host and status only; anything else is not shown, as it may say more.
        if (err instanceof TargetError) return { ok: false, detail: err.message };
        return {
          ok: false,
          detail: `The SCIM service at ${http.host} could not be checked (an unexpected failure).`,
        };
      }
    },

    async remoteItems(): Promise<RemoteItem[]> {
      const found = new Map<string, RemoteItem>();
      const what = 'the groups';
      let start = 1;
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const path = `/Groups?excludedAttributes=members&startIndex=${start}&count=${PAGE}`;
        const page = readList(await http.call({ method: 'GET', path, what }), what);
        for (const group of page.resources) {
          const id = idOf(group);
          if (id === undefined) continue;
          const name =
            typeof group.displayName === 'string' && group.displayName !== '' ? group.displayName : id;
          // Keyed by id: a group created while paging may shift another into the next page twice.
          found.set(id, { remoteId: id, name, kind: 'group' });
        }
        start += page.resources.length;
        if (page.resources.length === 0 || start > page.totalResults) return [...found.values()];
      }
      throw new TargetError(
        `the SCIM service at ${http.host} lists more than ${MAX_PAGES * PAGE} groups`,
        false,
      );
    },

    async members(remoteId: string): Promise<string[]> {
      const ids = await readMembers(remoteId);
      const names = await userNamesById(http, ids);
      // An id the service cannot name is returned as it is, so it still shows as drift.
      return ids.map((id) => names.get(id) ?? id);
    },

    async accountExists(account: string): Promise<boolean> {
      const found = (await findUsers(http, account)).length;
      // A connection that creates users has an account for everyone: made when first added.
      return found === 1 || (found === 0 && createUsers === true);
    },

    async addMember(remoteId: string, account: string): Promise<ChangeResult> {
      const found = await findUsers(http, account);
      const userId =
        found.length === 0 && createUsers
          ? await createUser(http, account)
          : theOne(http.host, account, found);
      if ((await readMembers(remoteId)).includes(userId)) return { changed: false };
      await patch(remoteId, { op: 'add', path: 'members', value: [{ value: userId }] });
      return { changed: true };
    },

    async removeMember(remoteId: string, account: string): Promise<ChangeResult> {
      const users = await findUsers(http, account);
      // No user of that name: an account named by a raw member id (as members() reports an unknown one) is
      // removed by that id. Several: which one is meant cannot be told, and theOne says so.
      const userId = users.length === 0 ? account : theOne(http.host, account, users);
      const current = await readMembers(remoteId);
      if (!current.includes(userId)) return { changed: false };
      try {
        await patch(remoteId, { op: 'remove', path: `members[value eq ${filterValue(userId)}]` });
      } catch (err) {
        // Removed by someone else since it was read: the wanted state is reached all the same.
        if (err instanceof ScimTargetError && err.status === 400 && err.scimType === 'noTarget')
          return { changed: false };
        throw err;
      }
      return { changed: true };
    },

    async close(): Promise<void> {
      // Nothing to release: every exchange opens and closes its own connection.
    },
  };
}
