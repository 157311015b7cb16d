import { AppError, forbidden } from '../../domain/errors.js';
import type { HeldFacts, ItemFacts } from '../../domain/policy/facts.js';
import { abilities, can, type ActionOf, type FactsOf, type ObjectKind } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import type { OpsDeps } from './deps.js';
import { isOwnerOf, type Owned } from './ownership.js';

// The facts the policy's rules are told, computed here and nowhere else, and the one way operations and
// queries apply a rule. A refusal is 403 with the caller's message, or whatever the caller says it is (404 for
// an object the actor may not even see, so ids outside one's view are indistinguishable from none).

type FactDeps = Pick<OpsDeps, 'index' | 'now'>;

export const itemFacts = (deps: FactDeps, actor: Actor, item: Owned): ItemFacts => ({
  isOwner: isOwnerOf(deps.index, actor.id, item, deps.now()),
});

/** Facts about a grant or an activation; `item` is undefined when it was deleted since. */
export const heldFacts = (
  deps: FactDeps,
  actor: Actor,
  holderId: string,
  item: Owned | undefined,
): HeldFacts => ({
  holderId,
  item: item ? itemFacts(deps, actor, item) : { isOwner: false },
});

/** Throws unless the policy allows: forbidden with `refusal` when it is a message, else the error given. */
export function authorize<K extends ObjectKind>(
  actor: Actor,
  kind: K,
  action: ActionOf<K>,
  facts: FactsOf<K>,
  refusal: string | (() => AppError),
): void {
  if (can(actor, kind, action, facts)) return;
  throw typeof refusal === 'string' ? forbidden(refusal) : refusal();
}

export { abilities, can };
