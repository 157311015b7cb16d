import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { TargetError, type Connector } from '../../src/provisioning/connector.js';
import {
  ldapConnector,
  parseLdapConfig,
  parseLdapSecrets,
  type LdapConfig,
} from '../../src/provisioning/connectors/ldap.js';
import { isWithin, sameDn } from '../../src/provisioning/connectors/ldap-dn.js';
import { freePort } from '../support/processes.js';
import {
  GROUPS,
  PEOPLE,
  SERVICE_DN,
  SERVICE_PASSWORD,
  groups,
  startSlapd,
  users,
  type Slapd,
} from '../support/slapd.js';

// The LDAP connector against a real slapd, bound as a service account that may only write group membership.

let slapd: Slapd;
let config: LdapConfig;
const connectors: Connector[] = [];
const fast = { connectTimeoutMs: 1000, timeoutMs: 1000 };

function connector(overrides: Partial<LdapConfig> = {}, password = SERVICE_PASSWORD): Connector {
  const c = ldapConnector({ ...config, ...overrides }, { bindPassword: password }, fast);
  connectors.push(c);
  return c;
}

async function asAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = await slapd.admin();
  try {
    return await work(c);
  } finally {
    await c.unbind();
  }
}

const membership = (dn: string, attribute: string) =>
  asAdmin(async (c) => {
    const { searchEntries } = await c.search(dn, { scope: 'base', attributes: [attribute] });
    const v = searchEntries[0]?.[attribute] ?? [];
    return (Array.isArray(v) ? v : [v]).map(String);
  });

async function targetError(p: Promise<unknown>): Promise<TargetError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TargetError);
  return err as TargetError;
}

beforeAll(async () => {
  slapd = await startSlapd(await freePort());
  config = parseLdapConfig({ url: slapd.url, bindDn: SERVICE_DN, userBaseDn: PEOPLE, groupBaseDn: GROUPS });
});

afterEach(async () => {
  slapd?.resume();
  await Promise.all(connectors.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await slapd?.stop();
});

describe('ldap connector: connection', () => {
  it('lists the groups under groupBaseDn with their kinds', async () => {
    expect(await connector().remoteItems()).toEqual([
      { remoteId: groups.auditors, name: 'auditors', kind: 'groupOfUniqueNames' },
      { remoteId: groups.deployers, name: 'deployers', kind: 'posixGroup' },
      { remoteId: groups.prodAdmins, name: 'prod-admins', kind: 'groupOfNames' },
      { remoteId: groups.vault, name: 'vault', kind: 'posixGroup' },
    ]);
  });

  it('test() binds as the service account and counts what it can see', async () => {
    const result = await connector().test();
    expect(result).toEqual({ ok: true, detail: expect.stringContaining('4 groups') as string });
    expect(result.detail).toContain('2 users');
  });

  it('test() reports a wrong password without showing it', async () => {
    const wrong = 'not-the-password-42';
    const result = await connector({}, wrong).test();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/invalid credentials/);
    expect(result.detail).not.toContain(wrong);
    expect(result.detail).not.toContain(SERVICE_PASSWORD);
  });

  it('test() reports a closed port as unreachable', async () => {
    const result = await connector({ url: `ldap://127.0.0.1:${await freePort()}` }).test();
    expect(result).toEqual({
      ok: false,
      detail: expect.stringMatching(/could not be reached.*ECONNREFUSED/) as string,
    });
  });

  it('operations against a wrong password are refusals, not retried', async () => {
    const err = await targetError(connector({}, 'wrong-password').remoteItems());
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/invalid credentials/);
  });

  it('a missing base DN is a clear refusal', async () => {
    const err = await targetError(connector({ groupBaseDn: 'ou=nowhere,dc=example,dc=test' }).remoteItems());
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/no such entry/);
  });

  it('startTls against a server without TLS fails instead of binding in the clear', async () => {
    const result = await connector({ startTls: true }).test();
    expect(result).toEqual({ ok: false, detail: expect.stringMatching(/start TLS \(StartTLS\)/) as string });
  });
});

describe('ldap connector: groupOfNames', () => {
  it('adds and removes a user by e-mail as her DN, idempotently', async () => {
    const c = connector();
    expect(await c.addMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: true });
    expect(await membership(groups.prodAdmins, 'member')).toContain(users.alice.dn);
    expect(await c.members(groups.prodAdmins)).toEqual([users.alice.mail]);
    expect(await c.addMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: false });

    expect(await c.addMember(groups.prodAdmins, users.bob.mail)).toEqual({ changed: true });
    expect(await c.removeMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: true });
    expect(await c.members(groups.prodAdmins)).toEqual([users.bob.mail]);
    expect(await c.removeMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: false });
    await c.removeMember(groups.prodAdmins, users.bob.mail);
  });

  it('removing the last real member leaves the group with itself as placeholder member', async () => {
    const c = connector();
    // Start from a group whose only member is alice (no placeholder), as a directory may have it.
    await asAdmin((a) =>
      a.modify(
        groups.prodAdmins,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'member', values: [users.alice.dn] }),
        }),
      ),
    );
    expect(await c.removeMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: true });
    expect(await membership(groups.prodAdmins, 'member')).toEqual([groups.prodAdmins]);
    expect(await c.members(groups.prodAdmins)).toEqual([]);
    // The placeholder is not an account the engine can remove.
    expect(await c.removeMember(groups.prodAdmins, groups.prodAdmins)).toEqual({ changed: false });
    expect(await c.removeMember(groups.prodAdmins, users.alice.mail)).toEqual({ changed: false });
  });

  it('groupOfUniqueNames works the same with uniqueMember', async () => {
    const c = connector();
    expect(await c.addMember(groups.auditors, users.bob.mail)).toEqual({ changed: true });
    expect(await membership(groups.auditors, 'uniqueMember')).toContain(users.bob.dn);
    expect(await c.members(groups.auditors)).toEqual([users.bob.mail]);
    expect(await c.removeMember(groups.auditors, users.bob.mail)).toEqual({ changed: true });
    expect(await c.members(groups.auditors)).toEqual([]);
  });

  it('reports a member that is no user as its raw DN, and can remove it', async () => {
    const c = connector();
    const stranger = `uid=gone,${PEOPLE}`;
    await asAdmin((a) =>
      a.modify(
        groups.prodAdmins,
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [stranger] }) }),
      ),
    );
    expect(await c.members(groups.prodAdmins)).toEqual([stranger]);
    expect(await c.removeMember(groups.prodAdmins, stranger)).toEqual({ changed: true });
    expect(await c.members(groups.prodAdmins)).toEqual([]);
  });
});

describe('ldap connector: posixGroup', () => {
  it('adds and removes a user by e-mail as her uid, idempotently', async () => {
    const c = connector();
    expect(await c.addMember(groups.deployers, users.alice.mail)).toEqual({ changed: true });
    expect(await membership(groups.deployers, 'memberUid')).toEqual([users.alice.uid]);
    expect(await c.members(groups.deployers)).toEqual([users.alice.mail]);
    expect(await c.addMember(groups.deployers, users.alice.mail)).toEqual({ changed: false });
    expect(await c.removeMember(groups.deployers, users.alice.mail)).toEqual({ changed: true });
    expect(await membership(groups.deployers, 'memberUid')).toEqual([]);
    expect(await c.members(groups.deployers)).toEqual([]);
    expect(await c.removeMember(groups.deployers, users.alice.mail)).toEqual({ changed: false });
  });

  it('reports an unknown memberUid raw', async () => {
    const c = connector();
    await asAdmin((a) =>
      a.modify(
        groups.deployers,
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'memberUid', values: ['ghost'] }),
        }),
      ),
    );
    expect(await c.members(groups.deployers)).toEqual(['ghost']);
    expect(await c.removeMember(groups.deployers, 'ghost')).toEqual({ changed: true });
  });
});

describe('ldap connector: accounts', () => {
  it('an unknown account does not exist and cannot be added', async () => {
    const c = connector();
    expect(await c.accountExists(users.alice.mail)).toBe(true);
    expect(await c.accountExists('nobody@example.test')).toBe(false);
    const err = await targetError(c.addMember(groups.prodAdmins, 'nobody@example.test'));
    expect(err.retryable).toBe(false);
  });

  it('filter characters in an account are values, never filter syntax', async () => {
    const c = connector();
    // Unescaped, this would become (mail=*)(uid=*) and match everyone.
    expect(await c.accountExists('*)(uid=*')).toBe(false);
    expect(await c.accountExists('alice@example.test)(|(mail=*')).toBe(false);
    expect(await c.accountExists('*')).toBe(false);
    // Unescaped, a substring filter that matches alice alone.
    expect(await c.accountExists('*lice@example.test')).toBe(false);
    await targetError(c.addMember(groups.prodAdmins, '*)(uid=*'));
    expect(await membership(groups.prodAdmins, 'member')).not.toContain(users.alice.dn);
  });

  it('an account matching several entries is an ambiguity, not a guess', async () => {
    const err = await targetError(
      connector({ userFilter: '(|(mail={account})(objectClass=inetOrgPerson))' }).accountExists(
        users.alice.mail,
      ),
    );
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/ambiguous/);
  });

  it('a group the service account may not change is a refusal, not retried', async () => {
    const err = await targetError(connector().addMember(groups.vault, users.alice.mail));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/insufficient access/);
  });

  it('reads members back as the attribute the user filter matches on', async () => {
    const c = connector({ userFilter: '(&(objectClass=inetOrgPerson)(uid={account}))' });
    expect(await c.addMember(groups.auditors, users.alice.uid)).toEqual({ changed: true });
    expect(await membership(groups.auditors, 'uniqueMember')).toContain(users.alice.dn);
    expect(await c.members(groups.auditors)).toEqual([users.alice.uid]);
    expect(await c.removeMember(groups.auditors, users.alice.uid)).toEqual({ changed: true });
  });

  it('touches no group outside groupBaseDn', async () => {
    const err = await targetError(connector().addMember(`cn=latch,dc=example,dc=test`, users.alice.mail));
    expect(err.retryable).toBe(false);
  });
});

describe('ldap connector: a target that is down', () => {
  it('fails retryably while the server hangs, and works again after', async () => {
    const c = connector();
    await slapd.pause();
    const started = Date.now();
    const err = await targetError(c.addMember(groups.deployers, users.bob.mail));
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    slapd.resume();
    expect(await c.addMember(groups.deployers, users.bob.mail)).toEqual({ changed: true });
    expect(await c.removeMember(groups.deployers, users.bob.mail)).toEqual({ changed: true });
  });

  it('survives a server restart', async () => {
    const c = connector();
    expect(await c.accountExists(users.bob.mail)).toBe(true);
    await slapd.restart();
    expect(await c.accountExists(users.bob.mail)).toBe(true);
  });

  it('close() ends an operation that is waiting on a hung server', async () => {
    const c = ldapConnector(
      config,
      { bindPassword: SERVICE_PASSWORD },
      { connectTimeoutMs: 30_000, timeoutMs: 30_000 },
    );
    await slapd.pause();
    const pending = c.members(groups.prodAdmins);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await c.close();
    const err = await targetError(pending);
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(c.members(groups.prodAdmins)).rejects.toThrow(/closed/);
  });
});

describe('ldap connector: TLS', () => {
  let tlsSlapd: Slapd;
  let tlsConfig: LdapConfig;
  beforeAll(async () => {
    tlsSlapd = await startSlapd(await freePort(), { ldapsPort: await freePort() });
    tlsConfig = { ...config, url: tlsSlapd.url, startTls: true };
  });
  afterAll(async () => {
    await tlsSlapd?.stop();
  });
  const tlsConnector = (overrides: Partial<LdapConfig>, ca?: string) => {
    const c = ldapConnector(
      { ...tlsConfig, ...overrides },
      { bindPassword: SERVICE_PASSWORD },
      { ...fast, tls: { ca } },
    );
    connectors.push(c);
    return c;
  };

  it('StartTLS with the trusted certificate works', async () => {
    const c = tlsConnector({}, tlsSlapd.ca);
    expect((await c.test()).ok).toBe(true);
    expect(await c.addMember(groups.deployers, users.bob.mail)).toEqual({ changed: true });
    expect(await c.removeMember(groups.deployers, users.bob.mail)).toEqual({ changed: true });
  });

  it('StartTLS with an untrusted certificate is refused, not retried', async () => {
    const c = tlsConnector({});
    expect(await c.test()).toEqual({ ok: false, detail: expect.stringMatching(/not trusted/) as string });
    expect((await targetError(c.remoteItems())).retryable).toBe(false);
  });

  it('ldaps:// with the trusted certificate works', async () => {
    const c = tlsConnector({ url: tlsSlapd.ldapsUrl!, startTls: false }, tlsSlapd.ca);
    expect((await c.test()).ok).toBe(true);
  });
});

describe('DN comparison', () => {
  it('ignores case and spaces around separators, and decodes escapes', () => {
    expect(sameDn('CN=Prod Admins, OU=Groups,dc=example', 'cn=prod admins,ou=groups,DC=Example')).toBe(true);
    expect(sameDn('cn=a\\,b,ou=g', 'cn=a\\2Cb,ou=g')).toBe(true);
    expect(sameDn('cn=a,ou=g', 'cn=b,ou=g')).toBe(false);
  });

  it('knows what lies under a base, RDN by RDN', () => {
    expect(isWithin('cn=x,ou=groups,dc=example', 'OU=Groups,dc=example')).toBe(true);
    expect(isWithin('ou=groups,dc=example', 'ou=groups,dc=example')).toBe(true);
    expect(isWithin('cn=x,ou=othergroups,dc=example', 'ou=groups,dc=example')).toBe(false);
    // A decoded comma inside a value is not a separator.
    expect(isWithin('cn=x\\,ou=groups,dc=example', 'ou=groups,dc=example')).toBe(false);
  });
});

describe('parseLdapSecrets', () => {
  it('requires a non-empty, bounded password and nothing else', () => {
    expect(parseLdapSecrets({ bindPassword: ' s3cret ' })).toEqual({ bindPassword: ' s3cret ' });
    for (const raw of [
      {},
      { bindPassword: '' },
      { bindPassword: 'x'.repeat(2000) },
      { bindPassword: 'x', other: 1 },
      'x',
    ])
      expect(() => parseLdapSecrets(raw)).toThrow(AppError);
    try {
      parseLdapSecrets({ bindPassword: 'x'.repeat(2000) });
    } catch (err) {
      expect((err as Error).message).not.toContain('xxxx');
    }
  });
});

describe('parseLdapConfig', () => {
  const valid = {
    url: 'ldaps://ldap.example.com:636',
    bindDn: 'cn=latch,dc=example,dc=com',
    userBaseDn: 'ou=people,dc=example,dc=com',
    groupBaseDn: 'ou=groups,dc=example,dc=com',
  };
  const field = (raw: unknown) => {
    try {
      parseLdapConfig(raw);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return err.errors[0]?.field;
      throw err;
    }
    return undefined;
  };

  it('accepts a valid config and fills in the defaults', () => {
    expect(parseLdapConfig(valid)).toEqual({ ...valid, userFilter: '(mail={account})', startTls: false });
    expect(
      parseLdapConfig({
        ...valid,
        url: 'ldap://10.0.0.5',
        startTls: true,
        userFilter: '(&(objectClass=person)(uid={account}))',
      }),
    ).toMatchObject({
      url: 'ldap://10.0.0.5',
      startTls: true,
    });
  });

  it('takes ldap:// and ldaps:// URLs only, without DN, query or credentials', () => {
    for (const url of [
      'http://ldap.example.com',
      'ldapi:///var/run/slapd',
      'ldap://',
      'ldap://h/dc=example',
      'ldap://u:p@h',
      'ldap://h?x',
      'not a url',
    ])
      expect(field({ ...valid, url })).toBe('config.url');
  });

  it('requires non-empty, bounded DNs', () => {
    for (const key of ['bindDn', 'userBaseDn', 'groupBaseDn']) {
      expect(field({ ...valid, [key]: '' })).toBe(`config.${key}`);
      expect(field({ ...valid, [key]: undefined })).toBe(`config.${key}`);
      expect(field({ ...valid, [key]: 'example' })).toBe(`config.${key}`);
      expect(field({ ...valid, [key]: `cn=${'x'.repeat(1100)}` })).toBe(`config.${key}`);
      expect(field({ ...valid, [key]: 'cn=a\nb' })).toBe(`config.${key}`);
    }
  });

  it('requires a user filter that parses and uses {account}', () => {
    expect(field({ ...valid, userFilter: '(mail=someone)' })).toBe('config.userFilter');
    expect(field({ ...valid, userFilter: '(mail={account}' })).toBe('config.userFilter');
    expect(field({ ...valid, userFilter: 'x'.repeat(2000) })).toBe('config.userFilter');
  });

  it('refuses startTls with ldaps://, non-boolean startTls and unknown settings', () => {
    expect(field({ ...valid, startTls: true })).toBe('config.startTls');
    expect(field({ ...valid, url: 'ldap://h', startTls: 'yes' })).toBe('config.startTls');
    expect(field({ ...valid, password: 'x' })).toBe('config.password');
    expect(field('ldap://h')).toBe('config');
    expect(field(null)).toBe('config');
  });
});
