import { describe, expect, it } from 'vitest';
import { scimError } from '../../../test/support/scim-errors.js';
import { ENTERPRISE_USER_SCHEMA_ID, GROUP_SCHEMA_ID, USER_SCHEMA_ID } from './attributes.js';

import { parseAttributeList, project } from './projection.js';

const ENT = ENTERPRISE_USER_SCHEMA_ID;

function makeUser(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA_ID, ENT],
    id: 'usr_1',
    externalId: '00u1',
    userName: 'a@x.test',
    name: { givenName: 'A', familyName: 'B', formatted: 'A B' },
    displayName: 'A B',
    password: 'hunter2',
    emails: [{ value: 'a@x.test', type: 'work', primary: true }],
    active: true,
    [ENT]: { department: 'Ops', manager: { value: 'usr_9' } },
    meta: { resourceType: 'User', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-02T00:00:00Z' },
  };
}

const group = {
  schemas: [GROUP_SCHEMA_ID],
  id: 'grp_1',
  displayName: 'Ops',
  members: [{ value: 'usr_1', display: 'A B', type: 'User' }],
  meta: { resourceType: 'Group' },
};

describe('parseAttributeList', () => {
  it('splits and trims a comma-separated list', () => {
    expect(parseAttributeList('userName, name.givenName ,emails')).toEqual([
      'userName',
      'name.givenName',
      'emails',
    ]);
    expect(parseAttributeList(`${ENT}:manager.value,${ENT}`)).toEqual([`${ENT}:manager.value`, ENT]);
  });

  it('is undefined when absent or blank', () => {
    expect(parseAttributeList(undefined)).toBeUndefined();
    expect(parseAttributeList('')).toBeUndefined();
    expect(parseAttributeList(' , ')).toBeUndefined();
  });

  it('rejects more than 100 names and malformed ones', () => {
    const many = Array.from({ length: 101 }, (_, i) => `a${i}`).join(',');
    expect(scimError(() => parseAttributeList(many)).scimType).toBe('invalidSyntax');
    expect(parseAttributeList(many.split(',').slice(1).join(','))).toHaveLength(100);
    for (const bad of ['emails[type eq "work"]', 'a b', 'name.givenName.x', '"x"']) {
      expect(scimError(() => parseAttributeList(bad)).scimType).toBe('invalidSyntax');
    }
  });
});

describe('project', () => {
  it('by default returns everything but never-returned attributes', () => {
    const out = project(makeUser(), {}, 'User');
    const expected = makeUser();
    delete expected.password;
    expect(out).toEqual(expected);
  });

  it('keeps only the named attributes plus those returned always', () => {
    expect(project(makeUser(), { attributes: ['userName'] }, 'User')).toEqual({
      schemas: [USER_SCHEMA_ID, ENT],
      id: 'usr_1',
      userName: 'a@x.test',
    });
    expect(project(makeUser(), { attributes: ['DisplayName', 'active', 'password'] }, 'User')).toEqual({
      schemas: [USER_SCHEMA_ID, ENT],
      id: 'usr_1',
      displayName: 'A B',
      active: true,
    });
  });

  it('keeps named sub-attributes only', () => {
    expect(
      project(makeUser(), { attributes: ['name.givenName', 'emails.value', 'meta.lastModified'] }, 'User'),
    ).toEqual({
      schemas: [USER_SCHEMA_ID, ENT],
      id: 'usr_1',
      name: { givenName: 'A' },
      emails: [{ value: 'a@x.test' }],
      meta: { lastModified: '2026-01-02T00:00:00Z' },
    });
  });

  it('selects URN-prefixed attributes and whole extensions', () => {
    expect(project(makeUser(), { attributes: [`${ENT}:department`] }, 'User')).toEqual({
      schemas: [USER_SCHEMA_ID, ENT],
      id: 'usr_1',
      [ENT]: { department: 'Ops' },
    });
    expect(project(makeUser(), { attributes: [`${ENT}:manager.value`] }, 'User')[ENT]).toEqual({
      manager: { value: 'usr_9' },
    });
    expect(project(makeUser(), { attributes: [ENT] }, 'User')[ENT]).toEqual(makeUser()[ENT]);
    expect(project(makeUser(), { attributes: [`${USER_SCHEMA_ID}:userName`] }, 'User').userName).toBe(
      'a@x.test',
    );
  });

  it('drops excluded attributes but never those returned always', () => {
    const out = project(
      makeUser(),
      { excludedAttributes: ['emails', 'name.formatted', 'id', 'schemas', `${ENT}:manager`] },
      'User',
    );
    expect(out.emails).toBeUndefined();
    expect(out.name).toEqual({ givenName: 'A', familyName: 'B' });
    expect(out.id).toBe('usr_1');
    expect(out.schemas).toEqual([USER_SCHEMA_ID, ENT]);
    expect(out[ENT]).toEqual({ department: 'Ops' });
    expect(out.password).toBeUndefined();
    expect(project(makeUser(), { excludedAttributes: [ENT] }, 'User')[ENT]).toBeUndefined();
  });

  it('excludes Group members (what providers ask for when listing groups)', () => {
    expect(project(group, { excludedAttributes: ['members'] }, 'Group')).toEqual({
      schemas: [GROUP_SCHEMA_ID],
      id: 'grp_1',
      displayName: 'Ops',
      meta: { resourceType: 'Group' },
    });
    expect(project(group, { attributes: ['members.value'] }, 'Group')).toEqual({
      schemas: [GROUP_SCHEMA_ID],
      id: 'grp_1',
      members: [{ value: 'usr_1' }],
    });
  });

  it('ignores unknown names', () => {
    expect(project(makeUser(), { attributes: ['nope', 'name.nope'] }, 'User')).toEqual({
      schemas: [USER_SCHEMA_ID, ENT],
      id: 'usr_1',
    });
    expect(project(makeUser(), { excludedAttributes: ['nope'] }, 'User').userName).toBe('a@x.test');
  });

  it('treats empty lists as absent and rejects both lists together', () => {
    expect(
      project(makeUser(), { attributes: [], excludedAttributes: ['emails'] }, 'User').emails,
    ).toBeUndefined();
    const err = scimError(() =>
      project(makeUser(), { attributes: ['userName'], excludedAttributes: ['emails'] }, 'User'),
    );
    expect([err.status, err.scimType]).toEqual([400, 'invalidSyntax']);
  });

  it('does not mutate or share the input', () => {
    const user = makeUser();
    const out = project(user, { attributes: ['name'] }, 'User');
    (out.name as Record<string, unknown>).givenName = 'Z';
    expect(user).toEqual(makeUser());
  });
});
