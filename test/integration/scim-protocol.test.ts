/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// The SCIM protocol as a provider meets it over HTTP: filters, paging, attribute selection, PUT, the PATCH
// shapes, and SCIM error bodies with their scimType, never a 5xx whatever the body.

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let h: Harness;
let token: string;
const people: any[] = [];
beforeAll(async () => {
  h = await startHarness();
  token = (await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'idp' } })).body.token;
  for (const [i, [given, family, dept]] of [
    ['Ada', 'Lovelace', 'Research'],
    ['Grace', 'Hopper', 'Platform'],
    ['Alan', 'Turing', 'Research'],
  ].entries()) {
    const res = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: `${given!.toLowerCase()}@corp.test`,
      externalId: `okta-${i}`,
      name: { givenName: given, familyName: family },
      emails: [
        { value: `${given!.toLowerCase()}@corp.test`, type: 'work', primary: true },
        { value: `${given!.toLowerCase()}@home.test`, type: 'home' },
      ],
      title: i === 2 ? 'Fellow' : undefined,
      [ENTERPRISE]: { department: dept },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    people.push(res.body);
  }
});
afterAll(() => h.close());

function scim(method: string, path: string, body?: unknown) {
  return h.request(method, `/scim/v2${path}`, {
    token,
    ...(body === undefined
      ? {}
      : { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/scim+json' } }),
  });
}

const names = async (filter: string) => {
  const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.Resources as any[]).map((r) => r.name.givenName).sort();
};

describe('filters', () => {
  it('every operator, logic and value paths', async () => {
    expect(await names('userName eq "ADA@corp.test"')).toEqual(['Ada']);
    expect(await names('externalId eq "okta-1"')).toEqual(['Grace']);
    expect(await names('externalId eq "OKTA-1"')).toEqual([]);
    expect(await names('userName ne "ada@corp.test" and userName ew "@corp.test"')).toEqual([
      'Alan',
      'Grace',
    ]);
    expect(await names('name.familyName co "ov"')).toEqual(['Ada']);
    expect(await names('userName sw "g"')).toEqual(['Grace']);
    expect(await names('title pr')).toEqual(['Alan']);
    expect(await names('not (title pr) and userName ew "corp.test"')).toEqual(['Ada', 'Grace']);
    expect(await names('emails[type eq "home" and value co "grace"]')).toEqual(['Grace']);
    expect(await names('emails.value eq "alan@home.test"')).toEqual(['Alan']);
    expect(await names(`${ENTERPRISE}:department eq "Research"`)).toEqual(['Ada', 'Alan']);
    expect(await names('userName eq "ada@corp.test" or userName eq "alan@corp.test" and title pr')).toEqual([
      'Ada',
      'Alan',
    ]);
    const created = people[1].meta.created as string;
    expect(await names(`meta.created ge "${created}" and meta.created le "${created}"`)).toEqual(['Grace']);
    expect(await names(`meta.lastModified gt "2000-01-01T00:00:00Z" and userName ew "corp.test"`)).toEqual([
      'Ada',
      'Alan',
      'Grace',
    ]);
  });

  it('an invalid filter is 400 invalidFilter', async () => {
    for (const bad of ['userName', 'userName eq', 'userName xx "a"', '(userName eq "a"', 'active gt true']) {
      const res = await scim('GET', `/Users?filter=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body, bad).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
    }
  });
});

describe('paging and attributes', () => {
  it('startIndex and count page through the list; attributes and excludedAttributes select', async () => {
    const all = (await scim('GET', '/Users?filter=userName%20ew%20%22corp.test%22')).body;
    expect(all.totalResults).toBe(3);
    const second = (await scim('GET', '/Users?filter=userName%20ew%20%22corp.test%22&startIndex=2&count=1'))
      .body;
    expect(second).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(second.Resources[0].id).toBe(all.Resources[1].id);
    const picked = (await scim('GET', `/Users/${people[0].id}?attributes=userName,name.givenName`)).body;
    expect(picked).toEqual({
      schemas: expect.any(Array),
      id: people[0].id,
      userName: 'ada@corp.test',
      name: { givenName: 'Ada' },
    });
    const without = (await scim('GET', `/Users/${people[0].id}?excludedAttributes=emails,${ENTERPRISE}`))
      .body;
    expect(without.emails).toBeUndefined();
    expect(without[ENTERPRISE]).toBeUndefined();
    expect(without.userName).toBe('ada@corp.test');
    const both = await scim('GET', `/Users/${people[0].id}?attributes=userName&excludedAttributes=emails`);
    expect(both.status).toBe(400);
    expect((await scim('GET', '/Users?count=abc')).status).toBe(400);
  });
});

describe('PUT and PATCH', () => {
  it('PUT replaces what the provider owns; PATCH paths with filters and URNs, as providers send them', async () => {
    const id = people[2].id;
    const put = await scim('PUT', `/Users/${id}`, {
      schemas: [USER],
      userName: 'alan@corp.test',
      name: { givenName: 'Alan', familyName: 'Turing' },
      displayName: 'Alan M. Turing',
      emails: [{ value: 'alan@corp.test', type: 'work', primary: true }],
      active: true,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.displayName).toBe('Alan M. Turing');
    expect(put.body.title).toBeUndefined();
    expect((await h.request('GET', `/api/v1/users/${id}`)).body.name).toBe('Alan M. Turing');

    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'alan.turing@corp.test' },
        { op: 'Add', value: { 'name.givenName': 'Alan Mathison', [`${ENTERPRISE}:department`]: 'Crypto' } },
        { op: 'add', path: 'title', value: 'Fellow' },
      ],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      emails: [{ value: 'alan.turing@corp.test', type: 'work', primary: true }],
      name: { givenName: 'Alan Mathison' },
      title: 'Fellow',
      [ENTERPRISE]: { department: 'Crypto' },
    });
    // The primary e-mail is the user's Latch e-mail.
    expect((await h.request('GET', `/api/v1/users/${id}`)).body.email).toBe('alan.turing@corp.test');
  });

  it('refuses what cannot be done, with the RFC’s scimType, and changes nothing', async () => {
    const id = people[0].id;
    const cases: [unknown, number, string][] = [
      [{ schemas: [PATCH], Operations: [{ op: 'replace', path: 'id', value: 'usr_x' }] }, 400, 'mutability'],
      [
        { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nope.nope', value: 1 }] },
        400,
        'invalidPath',
      ],
      [{ schemas: [PATCH], Operations: [{ op: 'jump', path: 'title', value: 1 }] }, 400, 'invalidSyntax'],
      [{ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 400, 'invalidSyntax'],
      [{ schemas: [PATCH], Operations: [{ op: 'remove', path: 'userName' }] }, 400, 'invalidValue'],
      [
        { schemas: [PATCH], Operations: [{ op: 'replace', path: 'userName', value: 'grace@corp.test' }] },
        409,
        'uniqueness',
      ],
    ];
    for (const [body, status, scimType] of cases) {
      const res = await scim('PATCH', `/Users/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body, JSON.stringify(body)).toMatchObject({ schemas: [ERROR], scimType });
    }
    expect((await scim('GET', `/Users/${id}`)).body.userName).toBe('ada@corp.test');
    const missing = await scim('GET', '/Users/usr_missing');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404', detail: expect.any(String) });
    expect((await scim('PATCH', '/Groups/grp_missing', { schemas: [PATCH], Operations: [] })).status).toBe(
      400,
    );
  });

  it('a group is renamed and refilled by PUT; a local group is not the provider’s to change', async () => {
    const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Readers', members: [] });
    const put = await scim('PUT', `/Groups/${g.body.id}`, {
      schemas: [GROUP],
      displayName: 'Research readers',
      members: [{ value: people[0].id }, { value: people[2].id }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.displayName).toBe('Research readers');
    expect(put.body.members.map((m: any) => m.value).sort()).toEqual([people[0].id, people[2].id].sort());
    const local = await h.request('POST', '/api/v1/groups', { body: { name: 'Made in Latch' } });
    const listed = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "made in latch"')}`,
    );
    expect(listed.body.Resources.map((r: any) => r.id)).toEqual([local.body.id]);
    const refused = await scim('PATCH', `/Groups/${local.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: people[0].id }] }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.scimType).toBe('mutability');
  });
});

describe('discovery', () => {
  it('serves its configuration, resource types and schemas, read-only', async () => {
    const config = (await scim('GET', '/ServiceProviderConfig')).body;
    expect(config).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    const types = (await scim('GET', '/ResourceTypes')).body.Resources.map((r: any) => r.name);
    expect(types).toEqual(['User', 'Group']);
    const schemas = (await scim('GET', '/Schemas')).body.Resources.map((r: any) => r.id);
    expect(schemas).toEqual([USER, ENTERPRISE, GROUP]);
    expect((await scim('GET', `/Schemas/${USER}`)).body.attributes.length).toBeGreaterThan(10);
    expect((await scim('DELETE', '/Schemas')).status).toBe(405);
  });
});

describe('any body', () => {
  it('is answered 2xx or a 4xx SCIM error, never a 5xx', async () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const op = fc.record({
      op: fc.oneof(fc.constantFrom('add', 'Replace', 'remove'), fc.string()),
      path: fc.option(
        fc.oneof(fc.constantFrom('members', 'emails[type eq "work"].value', 'active'), fc.string()),
      ),
      value: json,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'POST /Users',
          'PUT /Users/{u}',
          'PATCH /Users/{u}',
          'POST /Groups',
          'PATCH /Groups/{g}',
        ),
        fc.oneof(
          json,
          fc.record({ schemas: fc.constant([PATCH]), Operations: fc.array(op, { maxLength: 4 }) }),
          fc.record({ schemas: fc.constant([USER]), userName: fc.string(), emails: json, active: json }),
        ),
        async (route, body) => {
          const [method, path] = route.split(' ') as [string, string];
          const url = path.replace('{u}', people[1].id).replace('{g}', 'grp_fuzz');
          const res = await scim(method, url, body);
          expect(res.status, `${route} ${JSON.stringify(body)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body.schemas).toEqual([ERROR]);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
