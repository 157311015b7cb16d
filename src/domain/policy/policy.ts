import type { Actor } from '../users.js';
import type {
  AccessQuestionFacts,
  AccessReviewFacts,
  AccessReviewRowFacts,
  AccountFacts,
  DirectoryFacts,
  HeldFacts,
  ItemFacts,
  NestingFacts,
  NoFacts,
  RequestFacts,
} from './facts.js';
import {
  accessQuestionRules,
  accessReviewRowRules,
  accessReviewRules,
  accountRules,
  activationRules,
  auditRules,
  backupRules,
  provisioningRules,
  channelRules,
  connectionRules,
  directoryRules,
  grantRules,
  itemRules,
  nestingRules,
  requestForOthersRules,
  requestRules,
  scheduleRules,
} from './rules.js';

/** What each kind of object's rules are told about the actor's relation to it. */
export interface FactsByKind {
  item: ItemFacts;
  nesting: NestingFacts;
  grant: HeldFacts;
  activation: HeldFacts;
  request: RequestFacts;
  requestForOthers: ItemFacts;
  account: AccountFacts;
  directory: DirectoryFacts;
  accessQuestion: AccessQuestionFacts;
  schedule: NoFacts;
  channel: NoFacts;
  audit: NoFacts;
  backup: NoFacts;
  provisioning: NoFacts;
  connection: NoFacts;
  accessReview: AccessReviewFacts;
  accessReviewRow: AccessReviewRowFacts;
}

/** Every kind of object and its table of rules: the one authorization policy. */
export const policy = {
  item: itemRules,
  nesting: nestingRules,
  grant: grantRules,
  activation: activationRules,
  request: requestRules,
  requestForOthers: requestForOthersRules,
  account: accountRules,
  directory: directoryRules,
  accessQuestion: accessQuestionRules,
  schedule: scheduleRules,
  channel: channelRules,
  audit: auditRules,
  backup: backupRules,
  provisioning: provisioningRules,
  connection: connectionRules,
  accessReview: accessReviewRules,
  accessReviewRow: accessReviewRowRules,
} as const satisfies { [K in keyof FactsByKind]: Record<string, (a: Actor, f: FactsByKind[K]) => boolean> };

export type Policy = typeof policy;
export type ObjectKind = keyof Policy;
export type ActionOf<K extends ObjectKind> = keyof Policy[K] & string;
export type FactsOf<K extends ObjectKind> = FactsByKind[K];

/** Whether `actor` may do `action` to an object of `kind` whose relation to the actor is `facts`. */
export function can<K extends ObjectKind>(
  actor: Actor,
  kind: K,
  action: ActionOf<K>,
  facts: FactsOf<K>,
): boolean {
  const rule = policy[kind][action] as (actor: Actor, facts: FactsOf<K>) => boolean;
  return rule(actor, facts);
}

/** Every action of a kind with its answer, for clients that show or hide what the actor may do. */
export function abilities<K extends ObjectKind>(
  actor: Actor,
  kind: K,
  facts: FactsOf<K>,
): Record<ActionOf<K>, boolean> {
  const out = {} as Record<ActionOf<K>, boolean>;
  for (const action of Object.keys(policy[kind]) as ActionOf<K>[])
    out[action] = can(actor, kind, action, facts);
  return out;
}
