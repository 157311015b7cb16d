import { describe, expect, it } from 'vitest';
import {
  body,
  ENT,
  fails,
  makeGroup,
  makeUser,
  patchGroup,
  patchUser,
} from '../../../test/support/scim-patch-fixtures.js';
import { applyPatch, parsePatchRequest, PATCH_OP_SCHEMA, type PatchOperation } from './patch.js';
import { scimError } from '../../../test/support/scim-errors.js';
import { USER_SCHEMA_ID } from './attributes.js';

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
