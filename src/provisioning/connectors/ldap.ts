import { Attribute, Change, type Client, type Entry } from 'ldapts';
import {
  TargetError,
  type ChangeResult,
  type Connector,
  type RemoteItem,
  type TestResult,
} from '../connector.js';
import {
  accountAttribute,
  anyUserFilter,
  fillFilter,
  type LdapConfig,
  type LdapSecrets,
} from './ldap-config.js';
import { isWithin, sameDn, values } from './ldap-dn.js';
import { LdapSessions, type LdapSessionOptions } from './ldap-session.js';

export { parseLdapConfig, parseLdapSecrets, type LdapConfig, type LdapSecrets } from './ldap-config.js';
export type { LdapSessionOptions as LdapConnectorOptions } from './ldap-session.js';

// A Latch group linked to an LDAP group: membership is the group's `member` (groupOfNames), `uniqueMember`
// (groupOfUniqueNames) or `memberUid` (posixGroup) attribute.
//
// Accounts are what the engine uses (the user's e-mail by default). One resolves to exactly one entry under
// userBaseDn with userFilter; the value written is that entry's DN, or its `uid` for a posixGroup. Members are
// read back as the same account strings: the value of the attribute userFilter compares with `{account}`
// (`mail` by default; the first value if several), and a member that resolves to no such user is reported as
// its raw value (a DN or a uid), so drift can show it and removing that raw value works.
//
// groupOfNames and groupOfUniqueNames must keep a member. Rule: when the last real member is removed, the group
// gets itself (its own DN) as a placeholder member, in the same atomic modify. The placeholder is never listed
// by members(), never removed by removeMember(), and left in place when members are added again.
//
// Only groups at or below groupBaseDn are touched, whatever remoteId the engine passes.

type GroupKind = 'groupOfNames' | 'groupOfUniqueNames' | 'posixGroup';
const KINDS: GroupKind[] = ['groupOfNames', 'groupOfUniqueNames', 'posixGroup'];
const MEMBER_ATTRIBUTE: Record<GroupKind, string> = {
  groupOfNames: 'member',
  groupOfUniqueNames: 'uniqueMember',
  posixGroup: 'memberUid',
};
const GROUP_FILTER = `(|${KINDS.map((k) => `(objectClass=${k})`).join('')})`;
const MAX_ACCOUNT = 1024;
/** Member lookups run this many at a time on the one connection. */
const LOOKUP_BATCH = 16;
/** test() counts users up to this many. */
const USER_COUNT_LIMIT = 1000;

interface Group {
  dn: string;
  kind: GroupKind;
  attribute: string;
  values: string[];
}

/** The LDAP result codes a change may answer that mean "already so" or "the group would be left empty". */
const NO_SUCH_ATTRIBUTE = 16;
const ATTRIBUTE_OR_VALUE_EXISTS = 20;
const OBJECT_CLASS_VIOLATION = 65;

/** The LDAP result code of a refusal from ldapts (inside a session, before it becomes a TargetError). */
const resultCode = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

function kindOf(entry: Entry): GroupKind | undefined {
  const classes = values(entry, 'objectClass').map((c) => c.toLowerCase());
  return KINDS.find((k) => classes.includes(k.toLowerCase()));
}

const change = (operation: 'add' | 'delete', type: string, value: string) =>
  new Change({ operation, modification: new Attribute({ type, values: [value] }) });

export function ldapConnector(
  config: LdapConfig,
  secrets: LdapSecrets,
  options: LdapSessionOptions = {},
): Connector {
  const sessions = new LdapSessions(config, secrets, options);
  const accountAttr = accountAttribute(config.userFilter);
  const anyUser = anyUserFilter(config.userFilter);

  async function readGroup(client: Client, dn: string): Promise<Group> {
    if (!isWithin(dn, config.groupBaseDn))
      throw new TargetError(`LDAP group ${dn} is not under the configured groupBaseDn`, false);
    const attributes = ['objectClass', 'cn', ...Object.values(MEMBER_ATTRIBUTE)];
    let entry: Entry | undefined;
    try {
      ({
        searchEntries: [entry],
      } = await client.search(dn, { scope: 'base', filter: GROUP_FILTER, attributes }));
    } catch (err) {
      if (resultCode(err) === 32)
        throw new TargetError(`LDAP group ${dn} does not exist`, false, { cause: err });
      throw err;
    }
    const kind = entry && kindOf(entry);
    if (!entry || !kind)
      throw new TargetError(
        `LDAP entry ${dn} is not a groupOfNames, groupOfUniqueNames or posixGroup`,
        false,
      );
    const attribute = MEMBER_ATTRIBUTE[kind];
    return { dn: entry.dn, kind, attribute, values: values(entry, attribute) };
  }

  /** The one user entry of an account, null when there is none; several is a configuration problem. */
  async function findUser(client: Client, account: string): Promise<Entry | null> {
    if (account.trim() === '' || account.length > MAX_ACCOUNT) return null;
    const { searchEntries } = await client.search(config.userBaseDn, {
      scope: 'sub',
      filter: fillFilter(config.userFilter, account),
      attributes: ['uid', accountAttr],
      sizeLimit: 2,
    });
    if (searchEntries.length > 1)
      throw new TargetError(
        `LDAP account ${account} is ambiguous: userFilter matches more than one entry under userBaseDn`,
        false,
      );
    return searchEntries[0] ?? null;
  }

  /** The value a user is written as in a group of this kind, or undefined when it has none (no uid). */
  const memberValue = (group: Group, user: Entry): string | undefined =>
    group.kind === 'posixGroup' ? values(user, 'uid')[0] : user.dn;

  const isPlaceholder = (group: Group, value: string) =>
    group.kind !== 'posixGroup' && sameDn(value, group.dn);

  async function accountOfDn(client: Client, dn: string): Promise<string> {
    if (!isWithin(dn, config.userBaseDn)) return dn;
    try {
      const { searchEntries } = await client.search(dn, {
        scope: 'base',
        filter: anyUser,
        attributes: [accountAttr],
      });
      return (searchEntries[0] && values(searchEntries[0], accountAttr)[0]) ?? dn;
    } catch (err) {
      if (resultCode(err) === 32) return dn; // a member whose entry was deleted
      throw err;
    }
  }

  async function accountsOfUids(client: Client, uids: string[]): Promise<string[]> {
    const found = new Map<string, string[]>();
    for (let i = 0; i < uids.length; i += LOOKUP_BATCH * 4) {
      const batch = uids.slice(i, i + LOOKUP_BATCH * 4);
      const any = batch.map((u) => fillFilter('(uid={account})', u)).join('');
      const { searchEntries } = await client.search(config.userBaseDn, {
        scope: 'sub',
        filter: `(&${anyUser}(|${any}))`,
        attributes: ['uid', accountAttr],
      });
      for (const e of searchEntries) {
        const account = values(e, accountAttr)[0];
        if (!account) continue;
        for (const uid of values(e, 'uid')) {
          const key = uid.toLowerCase();
          found.set(key, [...(found.get(key) ?? []), account]);
        }
      }
    }
    // uid matching is case-insensitive; a uid shared by several users stays raw (which one is unknowable).
    return uids.map((u) => {
      const accounts = found.get(u.toLowerCase());
      return accounts?.length === 1 ? accounts[0]! : u;
    });
  }

  return {
    async test(): Promise<TestResult> {
      try {
        return await sessions.run('read the base DNs', async (client) => {
          for (const base of [config.groupBaseDn, config.userBaseDn])
            await client.search(base, { scope: 'base', attributes: ['1.1'] });
          const groups = await listGroups(client);
          const { searchEntries } = await client.search(config.userBaseDn, {
            scope: 'sub',
            filter: anyUser,
            attributes: ['1.1'],
            sizeLimit: USER_COUNT_LIMIT + 1,
          });
          const users =
            searchEntries.length > USER_COUNT_LIMIT ? `more than ${USER_COUNT_LIMIT}` : searchEntries.length;
          return {
            ok: true,
            detail: `bound as ${config.bindDn}; ${groups.length} groups under ${config.groupBaseDn}, ${users} users under ${config.userBaseDn}`,
          };
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Belt and braces: no message is built from the password, but a server could echo one.
        const detail =
          secrets.bindPassword.length >= 6 ? message.replaceAll(secrets.bindPassword, '[redacted]') : message;
        return { ok: false, detail };
      }
    },

    remoteItems: () => sessions.run(`list groups under ${config.groupBaseDn}`, listGroups),

    members: (groupDn) =>
      sessions.run(`read the members of ${groupDn}`, async (client) => {
        const group = await readGroup(client, groupDn);
        const raw = group.values.filter((v) => !isPlaceholder(group, v));
        let accounts: string[];
        if (group.kind === 'posixGroup') accounts = await accountsOfUids(client, raw);
        else {
          accounts = [];
          for (let i = 0; i < raw.length; i += LOOKUP_BATCH)
            accounts.push(
              ...(await Promise.all(raw.slice(i, i + LOOKUP_BATCH).map((dn) => accountOfDn(client, dn)))),
            );
        }
        return [...new Set(accounts)];
      }),

    accountExists: (account) =>
      sessions.run('look up an account', async (client) => (await findUser(client, account)) !== null),

    addMember: (groupDn, account) =>
      sessions.run(`add a member to ${groupDn}`, async (client): Promise<ChangeResult> => {
        const group = await readGroup(client, groupDn);
        const user = await findUser(client, account);
        if (!user)
          throw new TargetError(
            `LDAP has no entry for account ${account} under userBaseDn (userFilter)`,
            false,
          );
        const value = memberValue(group, user);
        if (!value) throw new TargetError(`LDAP entry ${user.dn} has no uid, needed for a posixGroup`, false);
        try {
          await client.modify(group.dn, change('add', group.attribute, value));
          return { changed: true };
        } catch (err) {
          if (resultCode(err) === ATTRIBUTE_OR_VALUE_EXISTS) return { changed: false };
          throw err;
        }
      }),

    // RevokeOptions.terminateSessions has no LDAP meaning: a directory holds no sessions of its members.
    removeMember: (groupDn, account) =>
      sessions.run(`remove a member from ${groupDn}`, async (client): Promise<ChangeResult> => {
        const group = await readGroup(client, groupDn);
        const user = await findUser(client, account);
        const resolved = user ? memberValue(group, user) : undefined;
        // An account that resolves to nobody may be a raw value members() reported (a dangling DN or uid).
        const value =
          resolved ??
          group.values.find((v) => (group.kind === 'posixGroup' ? v === account : sameDn(v, account)));
        if (!value || isPlaceholder(group, value)) return { changed: false };
        try {
          await client.modify(group.dn, change('delete', group.attribute, value));
        } catch (err) {
          const code = resultCode(err);
          if (code === NO_SUCH_ATTRIBUTE) return { changed: false };
          if (code !== OBJECT_CLASS_VIOLATION || group.kind === 'posixGroup') throw err;
          // The last member of a group that must have one: swap in the placeholder atomically.
          await client.modify(group.dn, [
            change('add', group.attribute, group.dn),
            change('delete', group.attribute, value),
          ]);
        }
        return { changed: true };
      }),

    close: () => sessions.close(),
  };

  async function listGroups(client: Client): Promise<RemoteItem[]> {
    const { searchEntries } = await client.search(config.groupBaseDn, {
      scope: 'sub',
      filter: GROUP_FILTER,
      attributes: ['objectClass', 'cn'],
      paged: { pageSize: 500 },
    });
    const items: RemoteItem[] = [];
    for (const e of searchEntries) {
      const kind = kindOf(e);
      if (kind) items.push({ remoteId: e.dn, name: values(e, 'cn')[0] ?? e.dn, kind });
    }
    return items.sort((a, b) => a.name.localeCompare(b.name) || a.remoteId.localeCompare(b.remoteId));
  }
}
