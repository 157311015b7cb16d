import { describe, expect, it } from 'vitest';
import { matchShifts, mergeShifts, onCallAt } from './match-shifts.js';
import type { DirectoryUser, ProviderShift } from './shifts.js';

const users: DirectoryUser[] = [
  { id: 'u-ana', name: 'Ana  Lopez', email: 'ana@example.com' },
  { id: 'u-bob', name: 'Robert', email: 'bob@example.com' },
  { id: 'u-bob2', name: 'Bob', email: 'robert@example.org' },
  { id: 'u-cy', name: 'Cy', email: 'Cy.Young@Example.com' },
];
const t = (h: number) => new Date(Date.UTC(2030, 0, 1, h));
const shift = (p: Partial<ProviderShift>, from = 0, to = 8): ProviderShift => ({
  start: t(from),
  end: t(to),
  emails: [],
  names: [],
  label: 'shift',
  ...p,
});
const userOf = (p: Partial<ProviderShift>) => matchShifts([shift(p)], users).matched[0]?.userId;

describe('matching provider shifts to users', () => {
  it('matches e-mails case-insensitively and trimmed, before names', () => {
    expect(userOf({ emails: ['  ANA@Example.COM '] })).toBe('u-ana');
    expect(userOf({ emails: ['cy.young@example.com'], names: ['Ana Lopez'] })).toBe('u-cy');
  });

  it('matches a name to a user name with case and spacing aside, or to an e-mail local part', () => {
    expect(userOf({ names: ['ana lopez'] })).toBe('u-ana');
    expect(userOf({ names: ['  ANA   Lopez '] })).toBe('u-ana');
    expect(userOf({ names: ['cy.young'] })).toBe('u-cy');
    // "Robert" is u-bob's name and the local part of u-bob2's e-mail: ambiguous across both kinds of key.
    expect(userOf({ names: ['Robert'] })).toBeUndefined();
  });

  it('leaves an ambiguous name unmatched rather than guessing, and tries the next one', () => {
    // "Bob" is u-bob2's name and u-bob's e-mail local part.
    const { matched, unmatched } = matchShifts([shift({ names: ['Bob'], label: '@Bob' })], users);
    expect(matched).toEqual([]);
    expect(unmatched).toEqual([{ label: '@Bob', emails: [], names: ['Bob'], start: t(0), end: t(8) }]);
    expect(userOf({ names: ['Bob', 'Cy'] })).toBe('u-cy');
  });

  it('reports what no user answers to, with the provider label', () => {
    const { matched, unmatched } = matchShifts([shift({ emails: ['zed@example.com'], label: 'Zed' })], users);
    expect(matched).toEqual([]);
    expect(unmatched.map((u) => [u.label, u.emails])).toEqual([['Zed', ['zed@example.com']]]);
  });

  it('drops zero-length shifts and merges overlapping or touching shifts of one user', () => {
    const { matched, unmatched } = matchShifts(
      [
        shift({ emails: ['ana@example.com'] }, 0, 4),
        shift({ names: ['Ana Lopez'] }, 4, 6),
        shift({ emails: ['ana@example.com'] }, 5, 9),
        shift({ emails: ['ana@example.com'] }, 10, 12),
        shift({ emails: ['cy.young@example.com'] }, 2, 3),
        shift({ emails: ['nobody@example.com'] }, 3, 3),
      ],
      users,
    );
    expect(unmatched).toEqual([]);
    expect(matched).toEqual([
      { userId: 'u-ana', start: t(0), end: t(9) },
      { userId: 'u-cy', start: t(2), end: t(3) },
      { userId: 'u-ana', start: t(10), end: t(12) },
    ]);
  });

  it('keeps a shift inside another one of the same user as one', () => {
    expect(
      mergeShifts([
        { userId: 'a', start: t(0), end: t(10) },
        { userId: 'a', start: t(2), end: t(3) },
      ]),
    ).toEqual([{ userId: 'a', start: t(0), end: t(10) }]);
  });

  it('says who is on call at an instant: start included, end excluded', () => {
    const shifts = [
      { userId: 'a', start: t(0), end: t(8) },
      { userId: 'b', start: t(8), end: t(16) },
    ];
    expect(onCallAt(shifts, t(8)).map((s) => s.userId)).toEqual(['b']);
    expect(onCallAt(shifts, new Date(t(8).getTime() - 1)).map((s) => s.userId)).toEqual(['a']);
    expect(onCallAt(shifts, t(16))).toEqual([]);
  });
});
