import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunscopeTest, replay } from '../support/runscope-replay.js';
import { startHarness, type Harness } from '../support/harness.js';

// Okta's "SCIM 2.0 SPEC Test" (../shared/fixtures/scim, a Runscope export Okta gives every SCIM integration),
// replayed against Latch's SCIM service provider with a SCIM token, step by step.

const FIXTURE = new URL('../../../shared/fixtures/scim/okta-scim20-spec-test.json', import.meta.url).pathname;

let h: Harness;
let scimToken: string;
beforeAll(async () => {
  h = await startHarness();
  // A directory of people with full names, as an identity provider keeps it.
  const renamed = await h.request('PATCH', `/api/v1/users/${h.admin.user.id}`, {
    body: { name: 'Ada Admin' },
  });
  expect(renamed.status).toBe(200);
  // And at least one group, which the test expects to list.
  expect((await h.request('POST', '/api/v1/groups', { body: { name: 'Engineering' } })).status).toBe(201);
  const minted = await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'Okta' } });
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  scimToken = minted.body.token;
});
afterAll(() => h.close());

describe('Okta SCIM 2.0 spec test', () => {
  it('passes every step', async () => {
    const test = loadRunscopeTest(FIXTURE);
    const suffix = Math.random().toString(36).slice(2, 8);
    const results = await replay(
      test,
      {
        SCIMBaseURL: 'http://latch.test/scim/v2',
        auth: `Bearer ${scimToken}`,
        randomUsername: `Okta.Person.${suffix}@Example.test`,
        randomUsernameCaps: `OKTA.PERSON.${suffix.toUpperCase()}@EXAMPLE.TEST`,
        randomGivenName: 'Grace',
        randomFamilyName: `Hopper${suffix}`,
        randomEmail: `okta.person.${suffix}@example.test`,
        InvalidUserEmail: `nobody.${suffix}@example.test`,
        UserIdThatDoesNotExist: `usr_does-not-exist-${suffix}`,
      },
      (method, url, headers, body) =>
        h.request(method, url, { token: null, headers, ...(body !== undefined ? { rawBody: body } : {}) }),
    );
    expect(results.length).toBe(16);
    expect(results.filter((r) => r.failures.length > 0)).toEqual([]);
  });
});
