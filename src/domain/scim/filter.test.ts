import { describe, expect, it } from 'vitest';
import { scimError } from '../../../test/support/scim-errors.js';
import { ENTERPRISE_USER_SCHEMA_ID, GROUP_SCHEMA_ID, USER_SCHEMA_ID } from './attributes.js';

import { compileFilter, equalityLookup, matchesFilter, parseFilter } from './filter.js';

const ENT = ENTERPRISE_USER_SCHEMA_ID;

const user: Record<string, unknown> = {
  schemas: [USER_SCHEMA_ID, ENT],
  id: 'usr_AbC1',
  externalId: '00u1AbC',
  userName: 'Alice@Example.com',
  name: { givenName: 'Alice', familyName: 'Liddell', formatted: 'Alice Liddell' },
  displayName: 'Alice Liddell',
  title: '',
  emails: [
    { value: 'alice@work.example', type: 'work', primary: true },
    { value: 'alice@home.example', type: 'home' },
  ],
  active: true,
  [ENT]: { department: 'Ops', manager: { value: 'usr_Boss' } },
  meta: {
    resourceType: 'User',
    created: '2026-01-01T00:00:00Z',
    lastModified: '2026-03-01T12:00:00.000Z',
    location: 'https://latch.example/scim/v2/Users/usr_AbC1',
  },
};

const group: Record<string, unknown> = {
  schemas: [GROUP_SCHEMA_ID],
  id: 'grp_1',
  displayName: 'Ops Team',
  members: [
    { value: 'usr_AbC1', display: 'Alice Liddell' },
    { value: 'usr_Boss', display: 'The Boss' },
  ],
  meta: { resourceType: 'Group', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-02T00:00:00Z' },
};

const matches = (text: string, resource = user, type: 'User' | 'Group' = 'User') =>
  matchesFilter(resource, parseFilter(text), type);

describe('parseFilter', () => {
  it('parses valid filters', () => {
    expect(parseFilter('userName eq "a"')).toEqual({ op: 'eq', attrPath: 'userName', compValue: 'a' });
    expect(parseFilter('userName Eq "a" AND not (active eq false)').op).toBe('and');
  });

  it.each([
    ['a bare word', 'Foo@Example.com'],
    ['a bare attribute', 'userName'],
    ['an empty text', ''],
    ['blank text', '   '],
    ['a missing value', 'userName eq'],
    ['an unquoted value', 'userName eq alice'],
    ['an unknown operator', 'userName like "a"'],
    ['a dangling and', 'userName eq "a" and'],
    ['an unclosed parenthesis', '(userName eq "a"'],
    ['an extra parenthesis', 'userName eq "a")'],
    ['an unclosed bracket', 'emails[type eq "work"'],
    ['trailing words', 'userName eq "a" b'],
  ])('rejects %s as invalidFilter', (_, text) => {
    const err = scimError(() => parseFilter(text));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
  });

  it('rejects an oversized filter', () => {
    const text = Array.from({ length: 300 }, (_, i) => `userName eq "user${i}@example.com"`).join(' or ');
    expect(text.length).toBeGreaterThan(4096);
    expect(scimError(() => parseFilter(text)).scimType).toBe('invalidFilter');
  });

  it('rejects nesting deeper than 50, in parentheses or in not', () => {
    const deep = `${'('.repeat(51)}userName eq "a"${')'.repeat(51)}`;
    expect(scimError(() => parseFilter(deep)).scimType).toBe('invalidFilter');
    expect(parseFilter(`${'('.repeat(50)}userName eq "a"${')'.repeat(50)}`)).toBeDefined();
    const nots = `${'not ('.repeat(51)}userName eq "a"${')'.repeat(51)}`;
    expect(scimError(() => parseFilter(nots)).scimType).toBe('invalidFilter');
    const bareNots = `${'not '.repeat(60)}(userName eq "a")`;
    expect(scimError(() => parseFilter(bareNots)).scimType).toBe('invalidFilter');
  });

  it('decodes JSON escapes in values', () => {
    const value = (text: string) => (parseFilter(text) as { compValue: unknown }).compValue;
    expect(value(String.raw`displayName eq "say \"hi\""`)).toBe('say "hi"');
    expect(value(String.raw`userName eq "DOMAIN\\alice"`)).toBe('DOMAIN\\alice');
    expect(value(String.raw`displayName eq "caf\u00e9"`)).toBe('café');
    expect(value(String.raw`displayName eq "tab\there"`)).toBe('tab\there');
    // Not JSON escaping: taken literally.
    expect(value(String.raw`userName eq "DOMAIN\user"`)).toBe('DOMAIN\\user');
    expect(matches(String.raw`displayName eq "A \u0042"`, { ...user, displayName: 'A B' })).toBe(true);
  });

  it('does not count brackets inside quoted values as nesting', () => {
    expect(parseFilter(`userName eq "${'('.repeat(60)}"`)).toBeDefined();
  });
});

describe('matchesFilter operators', () => {
  it('eq and ne', () => {
    expect(matches('userName eq "alice@example.com"')).toBe(true);
    expect(matches('userName eq "bob@example.com"')).toBe(false);
    expect(matches('userName ne "bob@example.com"')).toBe(true);
    expect(matches('userName ne "ALICE@example.com"')).toBe(false);
  });

  it('co, sw and ew', () => {
    expect(matches('userName co "@EXAMPLE"')).toBe(true);
    expect(matches('userName sw "alice"')).toBe(true);
    expect(matches('userName sw "example"')).toBe(false);
    expect(matches('userName ew ".com"')).toBe(true);
    expect(matches('userName ew ".org"')).toBe(false);
    expect(matches('displayName co "lidd"')).toBe(true);
  });

  it('pr: present and non-empty', () => {
    expect(matches('userName pr')).toBe(true);
    expect(matches('nickName pr')).toBe(false);
    expect(matches('title pr')).toBe(false);
    expect(matches('emails pr')).toBe(true);
    expect(matches('name pr')).toBe(true);
    expect(matches('emails.display pr')).toBe(false);
    expect(matches(`${ENT}:manager pr`)).toBe(true);
    expect(matches('members pr', { ...group, members: [] }, 'Group')).toBe(false);
  });

  it('gt, ge, lt and le on strings compare lexicographically', () => {
    expect(matches('userName gt "alice"')).toBe(true);
    expect(matches('userName lt "b"')).toBe(true);
    expect(matches('userName ge "ALICE@EXAMPLE.COM"')).toBe(true);
    expect(matches('userName le "alice@example.com"')).toBe(true);
    expect(matches('userName gt "alice@example.com"')).toBe(false);
  });

  it('gt, ge, lt and le on dateTimes compare instants', () => {
    expect(matches('meta.lastModified gt "2026-03-01T11:59:59Z"')).toBe(true);
    expect(matches('meta.lastModified gt "2026-03-01T12:00:00Z"')).toBe(false);
    expect(matches('meta.lastModified ge "2026-03-01T12:00:00Z"')).toBe(true);
    // Same instant, another zone and precision.
    expect(matches('meta.lastModified eq "2026-03-01T13:00:00+01:00"')).toBe(true);
    expect(matches('meta.lastModified lt "2026-03-01T13:00:01+01:00"')).toBe(true);
    expect(matches('meta.lastModified le "2026-02-28T00:00:00Z"')).toBe(false);
    expect(matches('meta.created lt "2026-01-01T00:00:00.001Z"')).toBe(true);
  });

  it('rejects a dateTime comparison with something that is not a dateTime', () => {
    expect(scimError(() => matches('meta.lastModified gt "yesterday"')).scimType).toBe('invalidFilter');
  });

  it('booleans compare with true and false', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('active ne false')).toBe(true);
    expect(matches('active eq "True"')).toBe(true);
    expect(matches('emails[primary eq true]')).toBe(true);
    expect(matches('emails[type eq "home" and primary eq true]')).toBe(false);
  });

  it('gt/ge/lt/le on booleans or complex attributes are invalidFilter', () => {
    for (const text of [
      'active gt true',
      'active le false',
      'name gt "a"',
      'emails lt "a"',
      `${ENT}:manager ge "a"`,
    ]) {
      const err = scimError(() => matches(text));
      expect([err.status, err.scimType]).toEqual([400, 'invalidFilter']);
    }
  });

  it('rejects comparisons of mismatched types', () => {
    expect(scimError(() => matches('userName eq 5')).scimType).toBe('invalidFilter');
    expect(scimError(() => matches('active eq "yes"')).scimType).toBe('invalidFilter');
    expect(scimError(() => matches('active co "t"')).scimType).toBe('invalidFilter');
    expect(scimError(() => matches('name eq "Alice"')).scimType).toBe('invalidFilter');
    expect(scimError(() => matches('userName gt null')).scimType).toBe('invalidFilter');
  });

  it('raises invalidFilter even when nothing is tested', () => {
    expect(scimError(() => compileFilter(parseFilter('active gt true'), 'User')).scimType).toBe(
      'invalidFilter',
    );
  });

  it('null compares as unassigned', () => {
    expect(matches('nickName eq null')).toBe(true);
    expect(matches('userName eq null')).toBe(false);
    expect(matches('userName ne null')).toBe(true);
  });
});

describe('matchesFilter logic', () => {
  it('and, or, not and parentheses', () => {
    expect(matches('userName sw "alice" and active eq true')).toBe(true);
    expect(matches('userName sw "alice" and active eq false')).toBe(false);
    expect(matches('userName sw "bob" or active eq true')).toBe(true);
    expect(matches('not (userName sw "bob")')).toBe(true);
    expect(matches('not (userName sw "alice")')).toBe(false);
    expect(matches('(userName sw "bob" or userName sw "alice") and active eq true')).toBe(true);
  });

  it('and binds tighter than or', () => {
    // true or (false and false) → true; (true or false) and false would be false.
    expect(matches('userName sw "alice" or userName sw "bob" and active eq false')).toBe(true);
    expect(matches('(userName sw "alice" or userName sw "bob") and active eq false')).toBe(false);
    // false and true or true → (false and true) or true → true.
    expect(matches('userName sw "bob" and active eq true or displayName pr')).toBe(true);
  });

  it('keywords are case-insensitive', () => {
    expect(matches('userName SW "alice" AND NOT (active EQ false)')).toBe(true);
  });
});

describe('matchesFilter paths', () => {
  it('sub-attributes', () => {
    expect(matches('name.familyName eq "liddell"')).toBe(true);
    expect(matches('name.givenName sw "B"')).toBe(false);
    expect(matches('emails.type eq "home"')).toBe(true);
  });

  it('multi-valued attributes match when any value does', () => {
    expect(matches('emails.value eq "alice@home.example"')).toBe(true);
    expect(matches('emails.value eq "nobody@example.com"')).toBe(false);
    expect(matches('emails.value ew "@work.example"')).toBe(true);
  });

  it('a complex multi-valued attribute without sub-attribute compares its value', () => {
    expect(matches('emails eq "ALICE@HOME.EXAMPLE"')).toBe(true);
    expect(matches('emails co "nobody"')).toBe(false);
    expect(matches('members eq "usr_Boss"', group, 'Group')).toBe(true);
    expect(matches(`${ENT}:manager eq "usr_Boss"`)).toBe(true);
  });

  it('value paths test one element at a time', () => {
    expect(matches('emails[type eq "work" and value co "@work"]')).toBe(true);
    expect(matches('emails[type eq "home" and value co "@work"]')).toBe(false);
    // Spread over two elements, the same terms outside a value path match.
    expect(matches('emails.type eq "home" and emails.value co "@work"')).toBe(true);
    expect(matches('emails[not (type eq "work")]')).toBe(true);
    expect(matches('members[value eq "usr_AbC1"]', group, 'Group')).toBe(true);
    expect(matches('members[value eq "usr_abc1"]', group, 'Group')).toBe(false);
    expect(matches('emails[type eq "work"] and userName sw "alice"')).toBe(true);
  });

  it('rejects value paths on non-complex attributes and nested value paths', () => {
    expect(scimError(() => matches('userName[value eq "a"]')).scimType).toBe('invalidFilter');
    expect(scimError(() => matches('emails[value[type eq "a"]]')).scimType).toBe('invalidFilter');
  });

  it('schema-URN-prefixed attributes', () => {
    expect(matches(`${ENT}:department eq "ops"`)).toBe(true);
    expect(matches(`${ENT}:manager.value eq "usr_Boss"`)).toBe(true);
    expect(matches(`${ENT}:manager.value eq "usr_boss"`)).toBe(true);
    expect(matches(`${USER_SCHEMA_ID}:userName sw "alice"`)).toBe(true);
    expect(matches(`${ENT}:department pr`, { ...user, [ENT]: undefined })).toBe(false);
  });

  it('schemas is a multi-valued attribute (RFC 7644 §3.4.2.2 example)', () => {
    expect(matches(`schemas eq "${ENT}"`)).toBe(true);
    expect(matches(`schemas eq "${ENT.toLowerCase()}"`)).toBe(false);
    expect(matches(`schemas eq "${ENT}"`, group, 'Group')).toBe(false);
  });

  it('reads attributes a resource carries under another spelling', () => {
    const odd = { ...user, PhoneNumbers: [{ Value: '+1 555', Type: 'work' }] };
    expect(matches('phoneNumbers[type eq "work" and value sw "+1"]', odd)).toBe(true);
    expect(matches('phoneNumbers.value eq "+1 555"', odd)).toBe(true);
  });

  it('attribute names are case-insensitive', () => {
    expect(matches('USERNAME eq "alice@example.com"')).toBe(true);
    expect(matches('Emails[Type eq "work"]')).toBe(true);
    expect(matches('META.LASTMODIFIED gt "2020-01-01T00:00:00Z"')).toBe(true);
  });

  it('unknown attributes never match, and not of them does', () => {
    expect(matches('nope eq "x"')).toBe(false);
    expect(matches('nope pr')).toBe(false);
    expect(matches('nope gt 5')).toBe(false);
    expect(matches('not (nope eq "x")')).toBe(true);
    expect(matches('emails[nope eq "x"]')).toBe(false);
    expect(matches('name.nope eq "x"')).toBe(false);
    expect(matches('urn:example:other:1.0:User:thing eq "x"')).toBe(false);
    expect(matches('userName eq "x"', group, 'Group')).toBe(false);
  });

  it('never matches on write-only attributes', () => {
    expect(matches('password pr', { ...user, password: 'secret' })).toBe(false);
  });
});

describe('matchesFilter case sensitivity', () => {
  it('userName, emails.value and displayName compare case-insensitively', () => {
    expect(matches('userName eq "ALICE@EXAMPLE.COM"')).toBe(true);
    expect(matches('emails.value eq "Alice@Work.Example"')).toBe(true);
    expect(matches('displayName eq "alice liddell"')).toBe(true);
    expect(matches('displayName eq "ops team"', group, 'Group')).toBe(true);
  });

  it('id and externalId compare exactly', () => {
    expect(matches('id eq "usr_AbC1"')).toBe(true);
    expect(matches('id eq "usr_abc1"')).toBe(false);
    expect(matches('externalId eq "00u1AbC"')).toBe(true);
    expect(matches('externalId eq "00U1ABC"')).toBe(false);
    expect(matches('externalId sw "00u1a"')).toBe(false);
    expect(matches('meta.resourceType eq "user"')).toBe(false);
  });
});

describe('equalityLookup', () => {
  const lookup = (text: string, type: 'User' | 'Group' = 'User') => equalityLookup(parseFilter(text), type);

  it('finds the indexed lookups providers make', () => {
    expect(lookup('userName eq "A@x.test"')).toEqual({
      attribute: 'userName',
      value: 'A@x.test',
      caseExact: false,
    });
    expect(lookup('UserName Eq "a"')).toMatchObject({ attribute: 'userName' });
    expect(lookup('externalId eq "00u1"')).toEqual({
      attribute: 'externalId',
      value: '00u1',
      caseExact: true,
    });
    expect(lookup('id eq "usr_1"')).toEqual({ attribute: 'id', value: 'usr_1', caseExact: true });
    expect(lookup('emails.value eq "a@x"')).toEqual({
      attribute: 'emails.value',
      value: 'a@x',
      caseExact: false,
    });
    expect(lookup('emails[value eq "a@x"]')).toEqual({
      attribute: 'emails.value',
      value: 'a@x',
      caseExact: false,
    });
    expect(lookup('emails eq "a@x"')).toMatchObject({ attribute: 'emails.value', value: 'a@x' });
    expect(lookup('displayName eq "A B"')).toMatchObject({ attribute: 'displayName', value: 'A B' });
    expect(lookup(`${USER_SCHEMA_ID}:userName eq "a"`)).toMatchObject({ attribute: 'userName' });
    expect(lookup('displayName eq "Ops"', 'Group')).toEqual({
      attribute: 'displayName',
      value: 'Ops',
      caseExact: false,
    });
    expect(lookup('externalId eq "g1"', 'Group')).toMatchObject({ attribute: 'externalId' });
  });

  it('is undefined for anything else', () => {
    expect(lookup('userName ne "a"')).toBeUndefined();
    expect(lookup('userName co "a"')).toBeUndefined();
    expect(lookup('userName eq "a" and active eq true')).toBeUndefined();
    expect(lookup('userName eq "a" or userName eq "b"')).toBeUndefined();
    expect(lookup('not (userName eq "a")')).toBeUndefined();
    expect(lookup('title eq "a"')).toBeUndefined();
    expect(lookup('active eq true')).toBeUndefined();
    expect(lookup('emails[type eq "work"]')).toBeUndefined();
    expect(lookup('userName eq "a"', 'Group')).toBeUndefined();
    expect(lookup('members.value eq "usr_1"', 'Group')).toBeUndefined();
    expect(lookup('nope eq "a"')).toBeUndefined();
  });
});
