import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byPriority,
  canonicalStages,
  configurationErrors,
  matchConfiguration,
  normalizeConfigurations,
  referencedIds,
  stageNames,
  type ConfigurationInput,
  type RequestConfiguration,
  type ReviewerStage,
  type Reviewers,
  type ReviewerStanding,
} from './request-config.js';

const entry = (over: Partial<ConfigurationInput> = {}): ConfigurationInput => ({
  priority: 100,
  condition: null,
  requestable: true,
  autoApprove: false,
  maxDurationMinutes: 120,
  recommendedDurationMinutes: 60,
  requireReason: false,
  reviewerStages: [{ operator: 'any', reviewers: { owners: true } }],
  ...over,
});
const known = { userIds: new Set(['usr_a', 'usr_b']), groupIds: new Set(['grp_oncall', 'grp_team']) };
const errorsOf = (list: ConfigurationInput[]) => configurationErrors(normalizeConfigurations(list), known);
const fields = (list: ConfigurationInput[]) => errorsOf(list).map((e) => e.field);

describe('normalizeConfigurations', () => {
  it('fills in omitted reviewer lists, de-duplicates ids and keeps the caller order', () => {
    const list = normalizeConfigurations([
      entry({ priority: 5 }),
      entry({
        priority: 1,
        condition: { groupIds: ['grp_team', 'grp_oncall', 'grp_team'] },
        reviewerStages: [{ operator: 'all', reviewers: { userIds: ['usr_b', 'usr_a', 'usr_b'] } }],
      }),
    ]);
    expect(list.map((e) => e.priority)).toEqual([5, 1]);
    expect(list[1]!.condition).toEqual({ groupIds: ['grp_oncall', 'grp_team'] });
    expect(list[1]!.reviewerStages[0]!.reviewers).toEqual({
      owners: false,
      admins: false,
      userIds: ['usr_a', 'usr_b'],
      groupIds: [],
    });
    expect(byPriority(list).map((e) => e.priority)).toEqual([1, 5]);
    expect(referencedIds(list)).toEqual({
      userIds: ['usr_a', 'usr_b'],
      groupIds: ['grp_oncall', 'grp_team'],
    });
  });

  it('puts stages back in canonical key order', () => {
    const jsonbOrder = [
      { reviewers: { userIds: [], groupIds: [], admins: true, owners: false }, operator: 'any' },
    ];
    expect(JSON.stringify(canonicalStages(jsonbOrder as never))).toBe(
      '[{"operator":"any","reviewers":{"owners":false,"admins":true,"userIds":[],"groupIds":[]}}]',
    );
  });
});

describe('configurationErrors', () => {
  it('accepts a valid list and the empty list (not requestable)', () => {
    expect(errorsOf([])).toEqual([]);
    expect(
      errorsOf([
        entry(),
        entry({
          priority: 1,
          condition: { groupIds: ['grp_oncall'] },
          autoApprove: true,
          reviewerStages: [],
        }),
      ]),
    ).toEqual([]);
    expect(errorsOf([entry({ requestable: false, reviewerStages: [] })])).toEqual([]);
  });

  it('needs exactly one default', () => {
    expect(fields([entry({ condition: { groupIds: ['grp_team'] } })])).toEqual(['body']);
    expect(fields([entry(), entry({ priority: 2 })])).toEqual(['body.1.condition']);
  });

  it('refuses duplicate priorities, pointing at the later entry', () => {
    expect(
      errorsOf([entry({ priority: 3 }), entry({ priority: 3, condition: { groupIds: ['grp_team'] } })]),
    ).toEqual([{ field: 'body.1.priority', message: 'priority 3 is also used by entry 0' }]);
  });

  it('refuses unknown groups and users wherever they are named', () => {
    const list = [
      entry({
        reviewerStages: [{ operator: 'any', reviewers: { userIds: ['usr_x'], groupIds: ['grp_x'] } }],
      }),
      entry({ priority: 1, condition: { groupIds: ['grp_nope'] } }),
    ];
    expect(errorsOf(list)).toEqual([
      { field: 'body.0.reviewerStages.0.reviewers.userIds', message: 'unknown users: usr_x' },
      { field: 'body.0.reviewerStages.0.reviewers.groupIds', message: 'unknown groups: grp_x' },
      { field: 'body.1.condition.groupIds', message: 'unknown groups: grp_nope' },
    ]);
  });

  it('refuses zero, negative and fractional durations, and a recommendation above the maximum', () => {
    for (const bad of [0, -5, 1.5])
      expect(fields([entry({ maxDurationMinutes: bad, recommendedDurationMinutes: null })])).toEqual([
        'body.0.maxDurationMinutes',
      ]);
    expect(fields([entry({ recommendedDurationMinutes: 0 })])).toEqual(['body.0.recommendedDurationMinutes']);
    expect(fields([entry({ maxDurationMinutes: 60, recommendedDurationMinutes: 61 })])).toEqual([
      'body.0.recommendedDurationMinutes',
    ]);
    expect(errorsOf([entry({ maxDurationMinutes: null, recommendedDurationMinutes: 10_000 })])).toEqual([]);
  });

  it('needs reviewers for a requestable entry that is not auto-approved, and in every stage', () => {
    expect(fields([entry({ reviewerStages: [] })])).toEqual(['body.0.reviewerStages']);
    expect(fields([entry({ reviewerStages: [{ operator: 'all', reviewers: {} }] })])).toEqual([
      'body.0.reviewerStages.0.reviewers',
    ]);
    expect(
      fields([entry({ reviewerStages: [{ operator: 'all', reviewers: { owners: false, userIds: [] } }] })]),
    ).toEqual(['body.0.reviewerStages.0.reviewers']);
  });

  it('bounds the sizes of the list, the stages and the id lists', () => {
    const many = Array.from({ length: 51 }, (_, i) =>
      entry({ priority: i, condition: i ? { groupIds: ['grp_team'] } : null }),
    );
    expect(fields(many)).toContain('body');
    const stages = Array.from({ length: 11 }, () => ({
      operator: 'any' as const,
      reviewers: { owners: true },
    }));
    expect(fields([entry({ reviewerStages: stages })])).toEqual(['body.0.reviewerStages']);
    const ids = Array.from({ length: 101 }, (_, i) => `grp_${i}`);
    expect(fields([entry({ priority: 1, condition: { groupIds: ids } }), entry()])).toContain(
      'body.0.condition.groupIds',
    );
  });
});

describe('matchConfiguration', () => {
  const list = byPriority(
    normalizeConfigurations([
      entry({ priority: 50, maxDurationMinutes: 30 }),
      entry({ priority: 20, condition: { groupIds: ['grp_team'] }, maxDurationMinutes: 20 }),
      entry({ priority: 10, condition: { groupIds: ['grp_oncall', 'grp_x'] }, maxDurationMinutes: 10 }),
    ]),
  );
  const match = (groups: string[]) => matchConfiguration(list, (g) => groups.includes(g))?.maxDurationMinutes;

  it('takes the first entry in ascending priority whose condition the user meets', () => {
    expect(match(['grp_team', 'grp_oncall'])).toBe(10);
    expect(match(['grp_team'])).toBe(20);
    expect(match(['grp_x'])).toBe(10);
  });

  it('falls back to the default, and to nothing for an unconfigured item', () => {
    expect(match([])).toBe(30);
    expect(match(['grp_other'])).toBe(30);
    expect(matchConfiguration([], () => true)).toBeUndefined();
  });

  it('never depends on the order entries are stored in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(list, { minLength: list.length }),
        fc.subarray(['grp_team', 'grp_oncall', 'grp_x']),
        (shuffled, groups) => {
          const isMember = (g: string) => groups.includes(g);
          expect(matchConfiguration(shuffled, isMember)).toEqual(matchConfiguration(list, isMember));
        },
      ),
    );
  });

  it('only asks about groups named in conditions', () => {
    const asked: string[] = [];
    const only: RequestConfiguration[] = normalizeConfigurations([entry()]);
    matchConfiguration(only, (g) => (asked.push(g), false));
    expect(asked).toEqual([]);
  });
});

describe('stageNames', () => {
  const stage = (reviewers: Partial<Reviewers>): ReviewerStage => ({
    operator: 'any',
    reviewers: { owners: false, admins: false, userIds: [], groupIds: [], ...reviewers },
  });
  const who = (o: Partial<ReviewerStanding> = {}): ReviewerStanding => ({
    userId: 'u1',
    isAdmin: false,
    isOwner: false,
    isMemberOf: () => false,
    ...o,
  });

  it('names owners only while they own the item, and group reviewers only while they are members', () => {
    expect(stageNames(stage({ owners: true }), who({ isOwner: true }))).toBe(true);
    expect(stageNames(stage({ owners: true }), who())).toBe(false);
    expect(stageNames(stage({ groupIds: ['g'] }), who({ isMemberOf: (g) => g === 'g' }))).toBe(true);
    expect(stageNames(stage({ groupIds: ['g'] }), who())).toBe(false);
  });

  it('names admins when the stage has admins review, and named users always', () => {
    expect(stageNames(stage({ admins: true }), who({ isAdmin: true }))).toBe(true);
    expect(stageNames(stage({ owners: true }), who({ isAdmin: true }))).toBe(false);
    expect(stageNames(stage({ userIds: ['u1'] }), who())).toBe(true);
  });
});
