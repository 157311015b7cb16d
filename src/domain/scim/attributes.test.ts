import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA_ID,
  GROUP_SCHEMA,
  SCHEMAS_OF,
  USER_SCHEMA,
  USER_SCHEMA_ID,
  attributeAt,
  canonicalize,
  extensionAt,
  resolveAttribute,
  type AttributeDef,
} from './attributes.js';

const ENT = ENTERPRISE_USER_SCHEMA_ID;

describe('attributeAt', () => {
  it('resolves core attributes and sub-attributes case-insensitively', () => {
    expect(attributeAt('User', 'userName')).toMatchObject({
      name: 'userName',
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
    expect(attributeAt('User', 'USERNAME')?.name).toBe('userName');
    expect(attributeAt('User', 'name.givenName')?.name).toBe('givenName');
    expect(attributeAt('User', 'Name.GivenName')?.name).toBe('givenName');
    expect(attributeAt('User', 'emails.value')).toMatchObject({ name: 'value', type: 'string' });
    expect(attributeAt('User', 'emails')).toMatchObject({ type: 'complex', multiValued: true });
    expect(attributeAt('User', 'active')?.type).toBe('boolean');
    expect(attributeAt('User', 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attributeAt('User', 'groups')?.mutability).toBe('readOnly');
  });

  it('resolves common attributes', () => {
    expect(attributeAt('User', 'id')).toMatchObject({
      caseExact: true,
      mutability: 'readOnly',
      returned: 'always',
    });
    expect(attributeAt('Group', 'externalId')?.caseExact).toBe(true);
    expect(attributeAt('User', 'meta.lastModified')?.type).toBe('dateTime');
    expect(attributeAt('Group', 'meta.created')?.type).toBe('dateTime');
    for (const sub of ['resourceType', 'location', 'version'])
      expect(attributeAt('User', `meta.${sub}`)).toBeDefined();
  });

  it('resolves URN-prefixed paths of the core schema and the enterprise extension', () => {
    expect(attributeAt('User', `${USER_SCHEMA_ID}:userName`)?.name).toBe('userName');
    expect(attributeAt('User', `${ENT}:department`)?.name).toBe('department');
    expect(attributeAt('User', `${ENT.toLowerCase()}:Department`)?.name).toBe('department');
    expect(attributeAt('User', `${ENT}:manager.value`)?.name).toBe('value');
    expect(resolveAttribute('User', `${ENT}:manager.value`)).toMatchObject({
      extension: true,
      canonical: `${ENT}:manager.value`,
    });
    expect(resolveAttribute('User', 'EMAILS.VALUE')?.canonical).toBe('emails.value');
  });

  it('returns undefined for unknown names, wrong types, unknown URNs and deep paths', () => {
    expect(attributeAt('User', 'nope')).toBeUndefined();
    expect(attributeAt('User', 'name.nope')).toBeUndefined();
    expect(attributeAt('User', 'name.givenName.x')).toBeUndefined();
    expect(attributeAt('Group', 'userName')).toBeUndefined();
    expect(attributeAt('Group', `${ENT}:department`)).toBeUndefined();
    expect(attributeAt('User', 'urn:example:custom:1.0:User:thing')).toBeUndefined();
    expect(attributeAt('User', 'department')).toBeUndefined();
  });

  it('recognises a whole extension', () => {
    expect(extensionAt('User', ENT)?.id).toBe(ENT);
    expect(extensionAt('Group', ENT)).toBeUndefined();
  });
});

describe('schemas', () => {
  const names = (defs: AttributeDef[] | undefined) => (defs ?? []).map((d) => d.name);

  it('define the RFC 7643 User attributes', () => {
    expect(names(USER_SCHEMA.attributes)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
    expect(names(attributeAt('User', 'name')?.subAttributes)).toEqual([
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ]);
    for (const plural of ['emails', 'phoneNumbers', 'ims', 'photos']) {
      expect(names(attributeAt('User', plural)?.subAttributes)).toEqual([
        'value',
        'display',
        'type',
        'primary',
      ]);
    }
    expect(names(SCHEMAS_OF.User.extensions[0]?.attributes)).toEqual([
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ]);
    expect(names(attributeAt('User', `${ENT}:manager`)?.subAttributes)).toEqual([
      'value',
      '$ref',
      'displayName',
    ]);
  });

  it('define the Group attributes', () => {
    expect(names(GROUP_SCHEMA.attributes)).toEqual(['displayName', 'members']);
    expect(attributeAt('Group', 'displayName')?.required).toBe(true);
    expect(attributeAt('Group', 'members.value')?.mutability).toBe('immutable');
    expect(names(attributeAt('Group', 'members')?.subAttributes)).toEqual([
      'value',
      '$ref',
      'display',
      'type',
    ]);
  });

  it('are plain JSON (the /Schemas endpoint serves them as they are)', () => {
    for (const schema of [USER_SCHEMA, GROUP_SCHEMA, ...SCHEMAS_OF.User.extensions]) {
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    }
  });
});

describe('canonicalize', () => {
  it('spells attribute names canonically and keeps unknown keys', () => {
    const resource = {
      Schemas: [USER_SCHEMA_ID],
      USERNAME: 'a',
      Emails: [{ Value: 'a@x', TYPE: 'work', custom: 1 }],
      [ENT.toLowerCase()]: { Department: 'Ops', Manager: { VALUE: 'usr_1' } },
      'urn:example:custom:1.0:User': { thing: 1 },
      other: true,
    };
    expect(canonicalize(resource, 'User')).toEqual({
      schemas: [USER_SCHEMA_ID],
      userName: 'a',
      emails: [{ value: 'a@x', type: 'work', custom: 1 }],
      [ENT]: { department: 'Ops', manager: { value: 'usr_1' } },
      'urn:example:custom:1.0:User': { thing: 1 },
      other: true,
    });
  });

  it('lets the canonical spelling win whatever the order', () => {
    expect(canonicalize({ username: 'x', userName: 'a' }, 'User')).toEqual({ userName: 'a' });
    expect(canonicalize({ userName: 'a', USERNAME: 'x' }, 'User')).toEqual({ userName: 'a' });
  });
});
