import { describe, expect, it } from 'vitest';
import { fails, makeGroup, patchGroup, patchUser } from '../../../test/support/scim-patch-fixtures.js';
import { applyPatch, parsePatchRequest, PATCH_OP_SCHEMA } from './patch.js';

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
