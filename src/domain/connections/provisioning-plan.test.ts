import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  hasWork,
  nextStep,
  observedApplied,
  planMembers,
  plannedStatus,
  unexplained,
  type ProvisionedState,
} from './provisioning-plan.js';

const row = (userId: string, wanted: boolean, account: string | null, appliedAccount: string | null) => ({
  userId,
  wanted,
  account,
  appliedAccount,
});

describe('provisioning plan', () => {
  it('wants new members, unwants those who left, leaves the rest', () => {
    const held = [row('u1', true, 'a1', 'a1'), row('u2', true, 'a2', 'a2'), row('u3', false, 'a3', null)];
    const plan = planMembers(
      new Map([
        ['u1', 'a1'],
        ['u3', 'a3'],
        ['u4', null],
      ]),
      held,
    );
    expect(plan.map((p) => [p.userId, p.wanted, p.account])).toEqual([
      ['u3', true, 'a3'],
      ['u4', true, null],
      ['u2', false, 'a2'],
    ]);
  });

  it('moves an account that changed: the old one out first, then the new one in', () => {
    const s = { wanted: true, account: 'new', appliedAccount: 'old' };
    expect(nextStep(s)).toEqual({ kind: 'remove', account: 'old' });
    expect(nextStep({ ...s, appliedAccount: null })).toEqual({ kind: 'add', account: 'new' });
    expect(nextStep({ ...s, appliedAccount: 'new' })).toEqual({ kind: 'none' });
  });

  it('says no_account for a wanted user without one, pending while there is work', () => {
    expect(plannedStatus({ wanted: true, account: null, appliedAccount: null })).toBe('no_account');
    expect(plannedStatus({ wanted: true, account: null, appliedAccount: 'x' })).toBe('pending');
    expect(plannedStatus({ wanted: false, account: 'x', appliedAccount: null })).toBe('synced');
  });

  it('applying the steps always reaches the wish, in at most two steps', () => {
    const acct = fc.constantFrom(null, 'a', 'b');
    fc.assert(
      fc.property(fc.boolean(), acct, acct, (wanted, account, appliedAccount) => {
        let s: { wanted: boolean; account: string | null; appliedAccount: string | null } = {
          wanted,
          account,
          appliedAccount,
        };
        for (let i = 0; i < 2; i++) {
          const step = nextStep(s);
          if (step.kind === 'add') s = { ...s, appliedAccount: step.account };
          if (step.kind === 'remove') s = { ...s, appliedAccount: null };
        }
        expect(hasWork(s)).toBe(false);
        expect(s.appliedAccount).toBe(wanted ? account : null);
      }),
    );
  });

  it('calls drift only what Latch neither put there nor is putting there', () => {
    const held: ProvisionedState[] = [
      row('u1', true, 'Ada', 'Ada'),
      row('u2', true, 'bob', null),
      row('u3', false, 'cy', 'cy'),
    ];
    expect(unexplained(['ada', 'BOB', 'cy', 'eve'], held, (a) => a.toLowerCase())).toEqual(['eve']);
    expect(unexplained(['ada', 'eve'], held, (a) => a)).toEqual(['ada', 'eve']);
  });

  it('records what the target holds: an account removed out of band is to be added again', () => {
    const there =
      (...accounts: string[]) =>
      (a: string) =>
        accounts.includes(a);
    expect(observedApplied({ wanted: true, account: 'a', appliedAccount: 'a' }, there())).toBeNull();
    expect(observedApplied({ wanted: true, account: 'a', appliedAccount: null }, there('a'))).toBe('a');
    expect(observedApplied({ wanted: false, account: 'a', appliedAccount: null }, there('a'))).toBeNull();
    expect(observedApplied({ wanted: false, account: 'a', appliedAccount: 'a' }, there('a'))).toBe('a');
  });
});
