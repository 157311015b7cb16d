import { AppError, type FieldError } from './errors.js';
import { MAX_DURATION_MINUTES } from './grants.js';
import { firstApplying } from './request-config-order.js';

// Request configurations: per item, an ordered list of entries saying whether the item can be requested, for
// how long, with what reason, and who reviews. Entries with a condition apply to members of the named groups;
// exactly one entry has no condition and is the default. Pure: callers pass membership and known ids in.

export const MAX_ENTRIES = 50;
export const MAX_STAGES = 10;
export const MAX_IDS = 100;
export const MAX_PRIORITY = 1_000_000;

export type StageOperator = 'all' | 'any';

export interface Reviewers {
  owners: boolean;
  admins: boolean;
  userIds: string[];
  groupIds: string[];
}

export interface ReviewerStage {
  operator: StageOperator;
  reviewers: Reviewers;
}

export interface RequestConfiguration {
  priority: number;
  condition: { groupIds: string[] } | null;
  requestable: boolean;
  autoApprove: boolean;
  maxDurationMinutes: number | null;
  recommendedDurationMinutes: number | null;
  requireReason: boolean;
  reviewerStages: ReviewerStage[];
}

/** What a caller sends: reviewer lists may be left out. */
export interface ConfigurationInput extends Omit<RequestConfiguration, 'reviewerStages'> {
  reviewerStages: { operator: StageOperator; reviewers: Partial<Reviewers> }[];
}

const uniq = (ids: string[] | undefined) => [...new Set(ids ?? [])];

/** Fills in omitted reviewer lists and de-duplicates ids; keeps the caller's order so error paths match it. */
export function normalizeConfigurations(input: ConfigurationInput[]): RequestConfiguration[] {
  return input.map((e) => ({
    priority: e.priority,
    condition: e.condition === null ? null : { groupIds: uniq(e.condition.groupIds).sort() },
    requestable: e.requestable,
    autoApprove: e.autoApprove,
    maxDurationMinutes: e.maxDurationMinutes,
    recommendedDurationMinutes: e.recommendedDurationMinutes,
    requireReason: e.requireReason,
    reviewerStages: e.reviewerStages.map((s) => ({
      operator: s.operator,
      reviewers: {
        owners: s.reviewers.owners ?? false,
        admins: s.reviewers.admins ?? false,
        userIds: uniq(s.reviewers.userIds).sort(),
        groupIds: uniq(s.reviewers.groupIds).sort(),
      },
    })),
  }));
}

/** Stages in canonical key order (jsonb hands keys back in its own order), so equal lists compare equal. */
export const canonicalStages = (stages: readonly ReviewerStage[]): ReviewerStage[] =>
  stages.map((s) => ({
    operator: s.operator,
    reviewers: {
      owners: s.reviewers.owners,
      admins: s.reviewers.admins,
      userIds: s.reviewers.userIds,
      groupIds: s.reviewers.groupIds,
    },
  }));

export { byPriority, triedOrder } from './request-config-order.js';

/** Every user and group id the list names, for the caller to look up before validating. */
export function referencedIds(list: RequestConfiguration[]): { userIds: string[]; groupIds: string[] } {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const e of list) {
    for (const g of e.condition?.groupIds ?? []) groups.add(g);
    for (const s of e.reviewerStages) {
      s.reviewers.userIds.forEach((u) => users.add(u));
      s.reviewers.groupIds.forEach((g) => groups.add(g));
    }
  }
  return { userIds: [...users], groupIds: [...groups] };
}

const hasReviewers = (r: Reviewers) => r.owners || r.admins || r.userIds.length > 0 || r.groupIds.length > 0;

function durationError(value: number | null): string | undefined {
  if (value === null) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_DURATION_MINUTES)
    return `must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES}, or null`;
  return undefined;
}

/**
 * Every rule a configuration list must meet, as field errors with paths into the list in the caller's order.
 * An empty list is valid: the item is not requestable.
 */
export function configurationErrors(
  input: RequestConfiguration[],
  known: { userIds: ReadonlySet<string>; groupIds: ReadonlySet<string> },
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (input.length > MAX_ENTRIES) add('body', `at most ${MAX_ENTRIES} entries`);
  const defaults = input.flatMap((e, i) => (e.condition === null ? [i] : []));
  if (input.length > 0 && defaults.length === 0)
    add('body', 'exactly one entry must have condition null (the default); there is none');
  if (defaults.length > 1)
    add(
      `body.${defaults[1]}.condition`,
      `exactly one entry may be the default; entries ${defaults.join(', ')} are`,
    );
  const seen = new Map<number, number>();
  input.forEach((e, i) => {
    const at = `body.${i}`;
    if (!Number.isInteger(e.priority) || e.priority < 0 || e.priority > MAX_PRIORITY)
      add(`${at}.priority`, `must be a whole number from 0 to ${MAX_PRIORITY}`);
    const first = seen.get(e.priority);
    if (first !== undefined) add(`${at}.priority`, `priority ${e.priority} is also used by entry ${first}`);
    else seen.set(e.priority, i);
    if (e.condition !== null) {
      if (e.condition.groupIds.length === 0) add(`${at}.condition.groupIds`, 'must name at least one group');
      if (e.condition.groupIds.length > MAX_IDS) add(`${at}.condition.groupIds`, `at most ${MAX_IDS} groups`);
      const unknown = e.condition.groupIds.filter((g) => !known.groupIds.has(g));
      if (unknown.length) add(`${at}.condition.groupIds`, `unknown groups: ${unknown.join(', ')}`);
    }
    const maxErr = durationError(e.maxDurationMinutes);
    if (maxErr) add(`${at}.maxDurationMinutes`, maxErr);
    const recErr = durationError(e.recommendedDurationMinutes);
    if (recErr) add(`${at}.recommendedDurationMinutes`, recErr);
    if (
      !maxErr &&
      !recErr &&
      e.maxDurationMinutes !== null &&
      e.recommendedDurationMinutes !== null &&
      e.recommendedDurationMinutes > e.maxDurationMinutes
    )
      add(`${at}.recommendedDurationMinutes`, `must not exceed maxDurationMinutes (${e.maxDurationMinutes})`);
    if (e.reviewerStages.length > MAX_STAGES) add(`${at}.reviewerStages`, `at most ${MAX_STAGES} stages`);
    if (e.requestable && !e.autoApprove && e.reviewerStages.length === 0)
      add(`${at}.reviewerStages`, 'a requestable entry that is not auto-approved needs at least one stage');
    e.reviewerStages.forEach((s, j) => {
      const st = `${at}.reviewerStages.${j}.reviewers`;
      if (!hasReviewers(s.reviewers)) add(st, 'a stage needs reviewers: owners, admins, userIds or groupIds');
      if (s.reviewers.userIds.length > MAX_IDS) add(`${st}.userIds`, `at most ${MAX_IDS} users`);
      if (s.reviewers.groupIds.length > MAX_IDS) add(`${st}.groupIds`, `at most ${MAX_IDS} groups`);
      const users = s.reviewers.userIds.filter((u) => !known.userIds.has(u));
      if (users.length) add(`${st}.userIds`, `unknown users: ${users.join(', ')}`);
      const groups = s.reviewers.groupIds.filter((g) => !known.groupIds.has(g));
      if (groups.length) add(`${st}.groupIds`, `unknown groups: ${groups.join(', ')}`);
    });
  });
  return errors;
}

export function assertValidConfigurations(
  input: RequestConfiguration[],
  known: { userIds: ReadonlySet<string>; groupIds: ReadonlySet<string> },
): void {
  const errors = configurationErrors(input, known);
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/**
 * The entry that applies to a target user: the first, in ascending priority, whose condition they meet (an
 * effective member of any listed group), else the default. Undefined when the item has no configuration.
 */
export function matchConfiguration(
  list: readonly RequestConfiguration[],
  isMemberOf: (groupId: string) => boolean,
): RequestConfiguration | undefined {
  return firstApplying(list, isMemberOf);
}

/** Who someone is now, as far as a stage's reviewers go. */
export interface ReviewerStanding {
  userId: string;
  isAdmin: boolean;
  /** Owns the requested item now. */
  isOwner: boolean;
  isMemberOf: (groupId: string) => boolean;
}

/**
 * Whether a stage names this person now: as a named user, an admin, an owner of the item or a member of a
 * named group. A stage's reviewers are stored when it starts; deciding also needs this to hold at that moment,
 * so someone who stopped being an owner (or left a reviewing group) since cannot decide.
 */
export function stageNames(stage: ReviewerStage, who: ReviewerStanding): boolean {
  const r = stage.reviewers;
  return (
    r.userIds.includes(who.userId) ||
    (r.admins && who.isAdmin) ||
    (r.owners && who.isOwner) ||
    r.groupIds.some((g) => who.isMemberOf(g))
  );
}
