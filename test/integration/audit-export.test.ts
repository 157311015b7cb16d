/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { requestKit } from '../support/requests.js';

// The audit log for incident review: filtered by person (as actor or subject, by id or e-mail), exported as CSV
// or JSON lines of exactly what the listing shows for the filter.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let alice: Caller;
let bob: Caller;
let group: { id: string; name: string };
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [alice, bob] = await Promise.all([h.newUser(), h.newUser()]);
  group = await kit.group();
  await h.request('PUT', `/api/v1/groups/${group.id}/break-glass`, { body: { userIds: [alice.user.id] } });
  await h.as(alice)('POST', `/api/v1/groups/${group.id}/break-glass/activations`, {
    reason: '=HYPERLINK("http://evil.example")',
  });
  await kit.grant(group.id, bob.user.id);
});
afterAll(() => h.close());

describe('filtering by person', () => {
  it('lists what a person did and what is about them, by id or e-mail', async () => {
    const byEmail = await h.request(
      'GET',
      `/api/v1/events?userId=${encodeURIComponent(alice.user.email)}&limit=500`,
    );
    expect(byEmail.status).toBe(200);
    const types = byEmail.body.items.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.created', 'break_glass.activated']));
    for (const e of byEmail.body.items)
      expect(e.actorId === alice.user.id || e.subjects.some((s: any) => s.id === alice.user.id)).toBe(true);
    const bobs = await h.request('GET', `/api/v1/events?userId=${bob.user.id}&type=grant.created`);
    expect(bobs.body.items).toHaveLength(1);
  });
});

describe('exporting', () => {
  it('writes the filtered events as CSV with names, and keeps a formula in a reason from running', async () => {
    const res = await h.request('GET', `/api/v1/events/export?subjectId=${group.id}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="latch-audit-.*\.csv"$/);
    const lines = (res.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('seq,created_at,type,actor_id,actor_name,actor_email,subjects,data,hash');
    const listed = await h.request('GET', `/api/v1/events?subjectId=${group.id}&limit=500`);
    expect(lines.length - 1).toBe(listed.body.items.length);
    const activation = lines.find((l) => l.includes('break_glass.activated'))!;
    expect(activation).toContain(`(${group.name})`);
    expect(activation).toContain(alice.user.email);
    expect(activation).not.toMatch(/,=HYPERLINK/);
  });

  it('writes JSON lines, and a member exports only what the listing shows them', async () => {
    const res = await h.as(bob)('GET', '/api/v1/events/export?format=jsonl');
    expect(res.status).toBe(200);
    const events = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const listed = await h.as(bob)('GET', '/api/v1/events?limit=500');
    expect(events.map((e) => e.seq)).toEqual(listed.body.items.map((e: any) => e.seq));
    expect(events.some((e) => e.type === 'break_glass.activated')).toBe(false);
    expect(events.find((e) => e.type === 'grant.created').subjects).toEqual(
      expect.arrayContaining([{ type: 'group', id: group.id, name: group.name }]),
    );
  });

  it('refuses an unknown format', async () => {
    const res = await h.request('GET', '/api/v1/events/export?format=xlsx');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
