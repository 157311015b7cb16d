import { describe, expect, it } from 'vitest';
import { scimError } from '../../../test/support/scim-errors.js';
import { ENTERPRISE_USER_SCHEMA_ID, GROUP_SCHEMA_ID, USER_SCHEMA_ID } from './attributes.js';
import type { ScimErrorType } from './errors.js';
import {
  applyPatch,
  PATCH_OP_SCHEMA,
  parsePatchPath,
  parsePatchRequest,
  type PatchOperation,
} from './patch.js';

const ENT = ENTERPRISE_USER_SCHEMA_ID;

function makeUser(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA_ID, ENT],
    id: 'usr_1',
    externalId: '00u1',
    userName: 'a@x.test',
    name: { givenName: 'A', familyName: 'B', formatted: 'A B' },
    displayName: 'A B',
    emails: [
      { value: 'a@x.test', type: 'work', primary: true },
      { value: 'a@home.test', type: 'home' },
    ],
    active: true,
    [ENT]: { department: 'Ops', manager: { value: 'usr_9', displayName: 'Boss' } },
    meta: {
      resourceType: 'User',
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-02T00:00:00Z',
      location: 'https://latch.example/scim/v2/Users/usr_1',
    },
  };
}

function makeGroup(members = ['usr_1', 'usr_2']): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA_ID],
    id: 'grp_1',
    displayName: 'Ops',
    members: members.map((id) => ({ value: id, display: id.toUpperCase() })),
    meta: { resourceType: 'Group', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-02T00:00:00Z' },
  };
}

const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
const patchUser = (...ops: unknown[]) => applyPatch(makeUser(), parsePatchRequest(body(...ops)), 'User');
const patchGroup = (group: Record<string, unknown>, ...ops: unknown[]) =>
  applyPatch(group, parsePatchRequest(body(...ops)), 'Group');

const fails = (scimType: ScimErrorType, fn: () => unknown) => {
  const err = scimError(fn);
  expect([err.status, err.scimType]).toEqual([400, scimType]);
  return err;
};

describe('parsePatchRequest', () => {
  it('accepts a request and lower-cases op', () => {
    const ops = parsePatchRequest(
      body(
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'members', value: [{ value: 'id1' }] },
        { op: 'REMOVE', path: 'members[value eq "id2"]' },
      ),
    );
    expect(ops).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'add', path: 'members', value: [{ value: 'id1' }] },
      { op: 'remove', path: 'members[value eq "id2"]' },
    ]);
  });

  it('accepts remove with a path and a value list (Okta, Entra ID)', () => {
    expect(parsePatchRequest(body({ op: 'Remove', path: 'members', value: [{ value: 'id1' }] }))).toEqual([
      { op: 'remove', path: 'members', value: [{ value: 'id1' }] },
    ]);
  });

  it('rejects a body that is not a PatchOp message', () => {
    fails('invalidSyntax', () => parsePatchRequest(null));
    fails('invalidSyntax', () => parsePatchRequest([]));
    fails('invalidSyntax', () =>
      parsePatchRequest({ Operations: [{ op: 'add', path: 'title', value: 'x' }] }),
    );
    fails('invalidSyntax', () =>
      parsePatchRequest({
        schemas: [USER_SCHEMA_ID],
        Operations: [{ op: 'add', path: 'title', value: 'x' }],
      }),
    );
  });

  it('rejects missing, empty and oversized Operations', () => {
    fails('invalidSyntax', () => parsePatchRequest({ schemas: [PATCH_OP_SCHEMA] }));
    fails('invalidSyntax', () => parsePatchRequest(body()));
    const many = Array.from({ length: 1001 }, () => ({ op: 'add', path: 'title', value: 'x' }));
    fails('invalidSyntax', () => parsePatchRequest(body(...many)));
    expect(parsePatchRequest(body(...many.slice(1)))).toHaveLength(1000);
  });

  it('rejects bad operations', () => {
    fails('invalidSyntax', () => parsePatchRequest(body('add')));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'copy', path: 'title', value: 'x' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ path: 'title', value: 'x' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'add', path: 'title' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'replace' })));
    fails('invalidPath', () => parsePatchRequest(body({ op: 'add', path: 5, value: 'x' })));
  });

  it('rejects remove without a path as noTarget (RFC 7644 §3.5.2.2)', () => {
    fails('noTarget', () => parsePatchRequest(body({ op: 'remove' })));
    fails('noTarget', () => parsePatchRequest(body({ op: 'remove', value: 'x' })));
  });

  it.each([
    'emails[type eq "work"',
    'emails[type eq ]',
    'emails[type eq "work"]value',
    'emails..value',
    'a b',
    'emails.value[type eq "work"]',
    '[type eq "x"]',
    'name.givenName.x',
  ])('rejects the malformed path %s as invalidPath', (path) => {
    fails('invalidPath', () => parsePatchRequest(body({ op: 'replace', path, value: 'x' })));
  });
});

describe('parsePatchPath', () => {
  it('splits attribute, filter and sub-attribute', () => {
    expect(parsePatchPath('name.givenName')).toEqual({ attribute: 'name.givenName' });
    expect(parsePatchPath(`${ENT}:manager.value`)).toEqual({ attribute: `${ENT}:manager.value` });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      attribute: 'emails',
      filter: { op: 'eq', attrPath: 'type', compValue: 'work' },
      sub: 'value',
    });
    expect(parsePatchPath('members[value eq "a]b"]').filter).toEqual({
      op: 'eq',
      attrPath: 'value',
      compValue: 'a]b',
    });
  });
});

describe('applyPatch without a path', () => {
  it('Okta deactivation: replace {active: false}', () => {
    const before = makeUser();
    const out = applyPatch(
      before,
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
      'User',
    );
    expect(out.active).toBe(false);
    expect(before.active).toBe(true);
  });

  it('Entra ID: add with dotted and URN-keyed attributes', () => {
    const out = patchUser({
      op: 'Add',
      value: { 'name.givenName': 'Ann', [`${ENT}:department`]: 'Sales', title: 'Eng' },
    });
    expect(out.name).toEqual({ givenName: 'Ann', familyName: 'B', formatted: 'A B' });
    expect((out[ENT] as Record<string, unknown>).department).toBe('Sales');
    expect(out.title).toBe('Eng');
  });

  it('Entra ID: pathless keys may be filtered paths', () => {
    const out = patchUser({
      op: 'Add',
      value: {
        'emails[type eq "work"].value': 'w@x.test',
        'phoneNumbers[type eq "mobile"].value': '+1 555',
        'name.familyName': 'C',
      },
    });
    expect((out.emails as Record<string, unknown>[])[0]).toEqual({
      value: 'w@x.test',
      type: 'work',
      primary: true,
    });
    expect(out.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555' }]);
    expect((out.name as Record<string, unknown>).familyName).toBe('C');
  });

  it('merges complex values and extension objects', () => {
    const out = patchUser({
      op: 'replace',
      value: { name: { familyName: 'C' }, [ENT]: { costCenter: 'CC1' }, displayName: 'A C' },
    });
    expect(out.name).toEqual({ givenName: 'A', familyName: 'C', formatted: 'A B' });
    expect(out[ENT]).toEqual({
      department: 'Ops',
      manager: { value: 'usr_9', displayName: 'Boss' },
      costCenter: 'CC1',
    });
    expect(out.displayName).toBe('A C');
  });

  it('accepts a core-schema-URN key and ignores schemas', () => {
    const out = patchUser({ op: 'replace', value: { schemas: ['x'], [USER_SCHEMA_ID]: { nickName: 'Al' } } });
    expect(out.nickName).toBe('Al');
    expect(out.schemas).toEqual([USER_SCHEMA_ID, ENT]);
  });

  it('ignores read-only attributes sent with their current value (Okta echoes id)', () => {
    const out = patchGroup(makeGroup(), { op: 'replace', value: { id: 'grp_1', displayName: 'Ops 2' } });
    expect(out.displayName).toBe('Ops 2');
    fails('mutability', () => patchGroup(makeGroup(), { op: 'replace', value: { id: 'grp_2' } }));
  });

  it('rejects unknown attributes and non-object values', () => {
    fails('invalidPath', () => patchUser({ op: 'add', value: { nope: 1 } }));
    fails('invalidPath', () => patchUser({ op: 'add', value: { 'urn:example:x:1.0:User:thing': 1 } }));
    fails('invalidValue', () => patchUser({ op: 'add', value: 'x' }));
  });

  it('removes members by a value object', () => {
    const out = patchGroup(makeGroup(), { op: 'remove', value: { members: [{ value: 'usr_1' }] } });
    expect(out.members).toEqual([{ value: 'usr_2', display: 'USR_2' }]);
  });
});

describe('applyPatch simple paths', () => {
  it('replaces, adds and removes single-valued attributes', () => {
    const out = patchUser(
      { op: 'replace', path: 'displayName', value: 'Z' },
      { op: 'add', path: 'nickName', value: 'Zed' },
      { op: 'remove', path: 'externalId' },
    );
    expect(out.displayName).toBe('Z');
    expect(out.nickName).toBe('Zed');
    expect('externalId' in out).toBe(false);
  });

  it('matches attribute names case-insensitively and writes the canonical spelling', () => {
    const out = patchUser(
      { op: 'replace', path: 'DISPLAYNAME', value: 'Z' },
      { op: 'add', path: 'Name.GivenName', value: 'Q' },
    );
    expect(out.displayName).toBe('Z');
    expect('DISPLAYNAME' in out).toBe(false);
    expect((out.name as Record<string, unknown>).givenName).toBe('Q');
  });

  it('sets and removes sub-attributes of a complex attribute', () => {
    const out = patchUser(
      { op: 'replace', path: 'name.familyName', value: 'C' },
      { op: 'remove', path: 'name.formatted' },
    );
    expect(out.name).toEqual({ givenName: 'A', familyName: 'C' });
    const emptied = patchUser(
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: 'name.familyName' },
      { op: 'remove', path: 'name.formatted' },
    );
    expect('name' in emptied).toBe(false);
  });

  it('coerces booleans sent as strings (Entra ID)', () => {
    const out = applyPatch(
      makeUser(),
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }),
      'User',
    );
    expect(out.active).toBe(false);
    expect(patchUser({ op: 'replace', path: 'active', value: 'true' }).active).toBe(true);
    expect(patchUser({ op: 'replace', value: { active: 'FALSE' } }).active).toBe(false);
  });

  it('null replaces as unassigned', () => {
    expect('displayName' in patchUser({ op: 'replace', path: 'displayName', value: null })).toBe(false);
  });
});

describe('applyPatch URN paths', () => {
  it('sets, replaces and removes enterprise attributes', () => {
    const out = patchUser(
      { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
      { op: 'add', path: `${ENT}:employeeNumber`, value: '42' },
    );
    expect(out[ENT]).toMatchObject({ department: 'Sales', employeeNumber: '42' });
    const removed = patchUser({ op: 'remove', path: `${ENT}:department` });
    expect((removed[ENT] as Record<string, unknown>).department).toBeUndefined();
  });

  it('sets manager by sub-attribute path, by object, and by bare value (Entra ID)', () => {
    const bySub = patchUser({ op: 'replace', path: `${ENT}:manager.value`, value: 'usr_7' });
    expect((bySub[ENT] as Record<string, unknown>).manager).toEqual({ value: 'usr_7', displayName: 'Boss' });
    const bare = patchUser({ op: 'Add', path: `${ENT}:manager`, value: 'usr_8' });
    // A new manager brings none of the old one's sub-attributes.
    expect((bare[ENT] as Record<string, unknown>).manager).toEqual({ value: 'usr_8' });
    const list = patchUser({
      op: 'replace',
      path: `${ENT}:manager`,
      value: [{ value: 'usr_6', displayName: 'ignored' }],
    });
    expect((list[ENT] as Record<string, unknown>).manager).toEqual({ value: 'usr_6' });
    const removed = patchUser({ op: 'Remove', path: `${ENT}:manager` });
    expect((removed[ENT] as Record<string, unknown>).manager).toBeUndefined();
  });

  it('creates the extension object and lists its schema when it was absent', () => {
    const user = makeUser();
    delete user[ENT];
    user.schemas = [USER_SCHEMA_ID];
    const out = applyPatch(
      user,
      parsePatchRequest(body({ op: 'add', path: `${ENT}:department`, value: 'Ops' })),
      'User',
    );
    expect(out[ENT]).toEqual({ department: 'Ops' });
    expect(out.schemas).toEqual([USER_SCHEMA_ID, ENT]);
  });

  it('drops an emptied extension and its schema', () => {
    const out = patchUser({ op: 'remove', path: ENT });
    expect(ENT in out).toBe(false);
    expect(out.schemas).toEqual([USER_SCHEMA_ID]);
    const emptied = patchUser(
      { op: 'remove', path: `${ENT}:department` },
      { op: 'remove', path: `${ENT}:manager` },
    );
    expect(ENT in emptied).toBe(false);
  });

  it('accepts the core schema URN as a prefix', () => {
    expect(patchUser({ op: 'replace', path: `${USER_SCHEMA_ID}:displayName`, value: 'Q' }).displayName).toBe(
      'Q',
    );
  });
});

describe('applyPatch multi-valued attributes', () => {
  it('add appends values not already present', () => {
    const out = patchUser({
      op: 'add',
      path: 'emails',
      value: [
        { value: 'A@X.TEST', type: 'other' },
        { value: 'new@x.test', type: 'other' },
      ],
    });
    expect(out.emails).toEqual([
      { value: 'a@x.test', type: 'work', primary: true },
      { value: 'a@home.test', type: 'home' },
      { value: 'new@x.test', type: 'other' },
    ]);
  });

  it('add accepts a single value that is not in a list', () => {
    const out = patchUser({ op: 'add', path: 'phoneNumbers', value: { value: '+1 555', type: 'work' } });
    expect(out.phoneNumbers).toEqual([{ value: '+1 555', type: 'work' }]);
  });

  it('replace without a filter replaces all values', () => {
    const out = patchUser({
      op: 'replace',
      path: 'emails',
      value: [{ value: 'only@x.test', primary: 'True' }],
    });
    expect(out.emails).toEqual([{ value: 'only@x.test', primary: true }]);
  });

  it('remove without a filter removes the attribute', () => {
    expect('emails' in patchUser({ op: 'remove', path: 'emails' })).toBe(false);
  });

  it('setting primary on one element clears it on the others', () => {
    const out = patchUser({ op: 'add', path: 'emails', value: [{ value: 'p@x.test', primary: true }] });
    expect(out.emails).toEqual([
      { value: 'a@x.test', type: 'work', primary: false },
      { value: 'a@home.test', type: 'home' },
      { value: 'p@x.test', primary: true },
    ]);
    const byFilter = patchUser({ op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    expect((byFilter.emails as Record<string, unknown>[]).map((e) => e.primary)).toEqual([false, true]);
  });

  it('Group members: add (Entra ID), remove by value list (Okta, Entra ID), remove by filter (Okta)', () => {
    const added = patchGroup(makeGroup(), {
      op: 'Add',
      path: 'members',
      value: [{ value: 'usr_3' }, { value: 'usr_1' }],
    });
    expect((added.members as { value: string }[]).map((m) => m.value)).toEqual(['usr_1', 'usr_2', 'usr_3']);
    const removed = patchGroup(makeGroup(['usr_1', 'usr_2', 'usr_3']), {
      op: 'Remove',
      path: 'members',
      value: [{ value: 'usr_1' }, { value: 'usr_3' }, { value: 'usr_gone' }],
    });
    expect(removed.members).toEqual([{ value: 'usr_2', display: 'USR_2' }]);
    const filtered = patchGroup(makeGroup(), { op: 'remove', path: 'members[value eq "usr_2"]' });
    expect(filtered.members).toEqual([{ value: 'usr_1', display: 'USR_1' }]);
  });

  it('removing a member who is not there is a no-op, by value list or by filter', () => {
    expect(patchGroup(makeGroup(), { op: 'remove', path: 'members', value: [{ value: 'usr_9' }] })).toEqual(
      makeGroup(),
    );
    expect(patchGroup(makeGroup(), { op: 'remove', path: 'members[value eq "usr_9"]' })).toEqual(makeGroup());
  });

  it('removal by value list looks only at each value', () => {
    const out = patchGroup(makeGroup(), {
      op: 'remove',
      path: 'members',
      value: [{ Value: 'usr_1', display: 'whoever', extra: true }, 'usr_2'],
    });
    expect('members' in out).toBe(false);
  });

  it('Okta group push: rename with id echoed, then member changes', () => {
    const out = applyPatch(
      makeGroup(),
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'replace', value: { id: 'grp_1', displayName: 'Ops EU' } },
          { op: 'add', path: 'members', value: [{ value: 'usr_3', display: 'c@x.test' }] },
          { op: 'remove', path: 'members[value eq "usr_1"]' },
        ],
      }),
      'Group',
    );
    expect(out.displayName).toBe('Ops EU');
    expect(out.members).toEqual([
      { value: 'usr_2', display: 'USR_2' },
      { value: 'usr_3', display: 'c@x.test' },
    ]);
  });

  it('member values compare exactly, as ids do', () => {
    const out = patchGroup(makeGroup(), { op: 'add', path: 'members', value: [{ value: 'USR_1' }] });
    expect(out.members).toHaveLength(3);
  });

  it('removing the last member leaves no members attribute', () => {
    const out = patchGroup(makeGroup(['usr_1']), {
      op: 'remove',
      path: 'members',
      value: [{ value: 'usr_1' }],
    });
    expect('members' in out).toBe(false);
  });

  it('replace members replaces the list (Okta group push)', () => {
    const out = patchGroup(makeGroup(), {
      op: 'replace',
      path: 'members',
      value: [{ value: 'usr_5', display: 'E' }],
    });
    expect(out.members).toEqual([{ value: 'usr_5', display: 'E' }]);
  });

  it('adds 5,000 members to a group of 5,000 in well under a second', () => {
    const existing = Array.from({ length: 5000 }, (_, i) => `usr_old_${i}`);
    const group = makeGroup(existing);
    const value = Array.from({ length: 5000 }, (_, i) => ({ value: `usr_new_${i}` }));
    const started = performance.now();
    const out = patchGroup(group, { op: 'add', path: 'members', value });
    const removed = patchGroup(out, { op: 'remove', path: 'members', value });
    const elapsed = performance.now() - started;
    expect(out.members).toHaveLength(10_000);
    expect(removed.members).toHaveLength(5000);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('applyPatch value filters', () => {
  it('Entra ID: replace emails[type eq "work"].value', () => {
    const out = patchUser({ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x' });
    expect(out.emails).toEqual([
      { value: 'new@x', type: 'work', primary: true },
      { value: 'a@home.test', type: 'home' },
    ]);
  });

  it('replace with a filter merges into the matching elements', () => {
    const out = patchUser({
      op: 'replace',
      path: 'emails[type eq "home"]',
      value: { value: 'h@x', display: 'Home' },
    });
    expect((out.emails as unknown[])[1]).toEqual({ value: 'h@x', type: 'home', display: 'Home' });
  });

  it('replace with a filter that matches nothing is noTarget', () => {
    fails('noTarget', () =>
      patchUser({ op: 'replace', path: 'emails[type eq "other"].value', value: 'o@x' }),
    );
    fails('noTarget', () =>
      patchUser({ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '1' }),
    );
  });

  it('add with a filter that matches nothing creates the element from its eq terms (Entra ID)', () => {
    const out = patchUser({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' });
    expect(out.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555' }]);
    const addr = patchUser({ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Oslo' });
    expect(addr.addresses).toEqual([{ type: 'work', locality: 'Oslo' }]);
    fails('noTarget', () => patchUser({ op: 'add', path: 'phoneNumbers[value co "5"].type', value: 'work' }));
  });

  it('add with a filter that matches sets the sub-attribute of the matches', () => {
    const out = patchUser({ op: 'add', path: 'emails[type eq "home"].display', value: 'Home' });
    expect((out.emails as unknown[])[1]).toEqual({ value: 'a@home.test', type: 'home', display: 'Home' });
  });

  it('remove with a filter removes the matching elements or their sub-attribute', () => {
    expect(patchUser({ op: 'remove', path: 'emails[type eq "home"]' }).emails).toEqual([
      { value: 'a@x.test', type: 'work', primary: true },
    ]);
    expect(patchUser({ op: 'remove', path: 'emails[value ew "test"]' }).emails).toBeUndefined();
    expect(
      (patchUser({ op: 'remove', path: 'emails[type eq "work"].primary' }).emails as unknown[])[0],
    ).toEqual({
      value: 'a@x.test',
      type: 'work',
    });
  });

  it('remove with a filter that matches nothing is noTarget outside Group members', () => {
    fails('noTarget', () => patchUser({ op: 'remove', path: 'emails[type eq "other"]' }));
  });

  it('filters honour case rules and complex logic', () => {
    const out = patchUser({
      op: 'remove',
      path: 'emails[value eq "A@HOME.TEST" or (type eq "nope" and primary eq true)]',
    });
    expect(out.emails).toHaveLength(1);
  });

  it('rejects filters on attributes that are not multi-valued complex', () => {
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'userName[value eq "x"]', value: 'y' }));
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'name[givenName eq "A"]', value: {} }));
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'emails[type gt true]', value: {} }));
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'emails[type eq "work"].nope', value: 'x' }));
  });
});

describe('applyPatch on a resource with non-canonical keys', () => {
  it('writes one canonical attribute instead of adding a second spelling', () => {
    const user = { ...makeUser(), PhoneNumbers: [{ Value: '1', Type: 'work' }] };
    const out = applyPatch(
      user,
      parsePatchRequest(body({ op: 'add', path: 'phoneNumbers', value: [{ value: '2' }] })),
      'User',
    );
    expect(out.PhoneNumbers).toBeUndefined();
    expect(out.phoneNumbers).toEqual([{ value: '1', type: 'work' }, { value: '2' }]);
  });
});

describe('applyPatch errors', () => {
  it('readOnly attributes cannot change: mutability', () => {
    fails('mutability', () => patchUser({ op: 'replace', path: 'id', value: 'usr_2' }));
    fails('mutability', () => patchUser({ op: 'remove', path: 'id' }));
    fails('mutability', () =>
      patchUser({ op: 'replace', path: 'meta.lastModified', value: '2027-01-01T00:00:00Z' }),
    );
    fails('mutability', () => patchUser({ op: 'remove', path: 'meta' }));
    fails('mutability', () => patchUser({ op: 'add', path: 'groups', value: [{ value: 'grp_1' }] }));
    fails('mutability', () => patchUser({ op: 'replace', path: `${ENT}:manager.displayName`, value: 'X' }));
    // The value it already has is no change.
    expect(patchUser({ op: 'replace', path: 'id', value: 'usr_1' }).id).toBe('usr_1');
  });

  it('immutable sub-attributes cannot change once set: mutability', () => {
    fails('mutability', () =>
      patchGroup(makeGroup(), { op: 'replace', path: 'members[value eq "usr_1"].value', value: 'usr_9' }),
    );
    fails('mutability', () =>
      patchGroup(makeGroup(), { op: 'remove', path: 'members[value eq "usr_1"].display' }),
    );
  });

  it('unknown attributes and malformed paths: invalidPath', () => {
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'nope', value: 'x' }));
    fails('invalidPath', () => patchUser({ op: 'replace', path: 'name.nope', value: 'x' }));
    fails('invalidPath', () => patchUser({ op: 'add', path: 'urn:example:x:1.0:User:thing', value: 'x' }));
    fails('invalidPath', () => applyPatch(makeUser(), [{ op: 'add', path: 'emails[', value: 'x' }], 'User'));
    fails('invalidPath', () => patchGroup(makeGroup(), { op: 'add', path: 'userName', value: 'x' }));
  });

  it('values of the wrong type: invalidValue', () => {
    fails('invalidValue', () => patchUser({ op: 'replace', path: 'active', value: 'yes' }));
    fails('invalidValue', () => patchUser({ op: 'replace', path: 'displayName', value: 5 }));
    fails('invalidValue', () => patchUser({ op: 'replace', path: 'name', value: 'A B' }));
    fails('invalidValue', () => patchUser({ op: 'add', path: 'emails', value: [{ value: 'x', nope: 1 }] }));
    fails('invalidValue', () =>
      patchUser({ op: 'add', path: 'emails', value: [{ value: 'x', primary: 'maybe' }] }),
    );
    fails('invalidValue', () => patchUser({ op: 'add', path: 'emails', value: [[1]] }));
  });

  it('required attributes cannot be removed: invalidValue', () => {
    fails('invalidValue', () => patchUser({ op: 'remove', path: 'userName' }));
    fails('invalidValue', () => patchUser({ op: 'replace', path: 'userName', value: '' }));
    fails('invalidValue', () => patchGroup(makeGroup(), { op: 'remove', path: 'displayName' }));
  });

  it('names the failing operation and changes nothing', () => {
    const user = makeUser();
    const err = scimError(() =>
      applyPatch(
        user,
        parsePatchRequest(
          body({ op: 'replace', path: 'title', value: 'T' }, { op: 'replace', path: 'id', value: 'x' }),
        ),
        'User',
      ),
    );
    expect(err.detail).toMatch(/^Operation 2 \(replace id\)/);
    expect(user).toEqual(makeUser());
  });
});

describe('applyPatch sequences', () => {
  it('applies operations in order (Entra ID group update)', () => {
    const ops: PatchOperation[] = parsePatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Platform' },
        { op: 'Add', path: 'members', value: [{ value: 'usr_3' }] },
        { op: 'Remove', path: 'members', value: [{ value: 'usr_1' }] },
        { op: 'Add', path: 'externalId', value: 'ent-1' },
      ],
    });
    const before = makeGroup();
    const out = applyPatch(before, ops, 'Group');
    expect(out).toMatchObject({ displayName: 'Platform', externalId: 'ent-1' });
    expect((out.members as { value: string }[]).map((m) => m.value)).toEqual(['usr_2', 'usr_3']);
    expect(before).toEqual(makeGroup());
  });

  it('applies an Entra ID user update', () => {
    const out = applyPatch(
      makeUser(),
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'active', value: 'False' },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x' },
          { op: 'Add', value: { 'name.givenName': 'A', [`${ENT}:department`]: 'Ops' } },
          { op: 'Replace', path: 'userName', value: 'new@x' },
        ],
      }),
      'User',
    );
    expect(out).toMatchObject({ active: false, userName: 'new@x', name: { givenName: 'A' } });
    expect((out.emails as Record<string, unknown>[])[0]?.value).toBe('new@x');
  });

  it('later operations see earlier ones', () => {
    const out = patchUser(
      { op: 'add', path: 'emails', value: [{ value: 'o@x', type: 'other' }] },
      { op: 'replace', path: 'emails[type eq "other"].display', value: 'Other' },
      { op: 'remove', path: 'emails[type eq "home"]' },
    );
    expect(out.emails).toEqual([
      { value: 'a@x.test', type: 'work', primary: true },
      { value: 'o@x', type: 'other', display: 'Other' },
    ]);
  });
});
