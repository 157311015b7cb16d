import type { NamedEvent } from '../../domain/audit-export.js';
import type { Actor } from '../../domain/users.js';
import type { EventFilter } from '../../store/events.js';
import { findGroupsByIds } from '../../store/groups.js';
import { findResourcesByIds } from '../../store/resources.js';
import { findUsersByIds } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { listEvents } from './queries.js';

/** Read from the log this many at a time: an export of any size holds one page in memory. */
const PAGE = 500;

/**
 * Every event the caller may see that matches the filter, oldest first, with the names of actors and subjects
 * (people, groups, resources) as they are now. Visibility is the listing's own (queries.ts).
 */
export async function* exportEvents(
  deps: OpsDeps,
  actor: Actor,
  f: Omit<EventFilter, 'visibleTo' | 'afterSeq' | 'order' | 'limit'>,
): AsyncGenerator<NamedEvent> {
  let afterSeq: number | undefined;
  for (;;) {
    const page = await listEvents(deps, actor, { ...f, afterSeq, order: 'asc', limit: PAGE });
    if (page.length === 0) return;
    const ids = (type: string) => [
      ...new Set(page.flatMap((e) => e.subjects.filter((s) => s.type === type).map((s) => s.id))),
    ];
    const userIds = [...new Set([...ids('user'), ...page.flatMap((e) => (e.actorId ? [e.actorId] : []))])];
    const [users, groups, resources] = await Promise.all([
      findUsersByIds(deps.db, userIds),
      findGroupsByIds(deps.db, ids('group')),
      findResourcesByIds(deps.db, ids('resource')),
    ]);
    const people = new Map(users.map((u) => [u.id, u]));
    const names = new Map<string, string>([
      ...users.map((u) => [u.id, u.name] as const),
      ...groups.map((g) => [g.id, g.name] as const),
      ...resources.map((r) => [r.id, r.name] as const),
    ]);
    for (const e of page) {
      const who = e.actorId ? people.get(e.actorId) : undefined;
      yield {
        ...e,
        actor: who ? { id: who.id, name: who.name, email: who.email } : null,
        subjectNames: Object.fromEntries(
          e.subjects.flatMap((s) => (names.has(s.id) ? [[s.id, names.get(s.id)!]] : [])),
        ),
      };
    }
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
