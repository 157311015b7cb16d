import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { api, ok } from '../api/client';
import type { Group, Me, Resource, SessionInfo } from '../api/types';

// Names for ids. The API speaks in ids; people read names. Groups and resources are visible to everyone
// signed in; the user list only to those whose abilities say so, so others look people up one by id as they
// appear. What the user may do comes from the API as abilities (`me.abilities`, and each item's own): the
// screens show those and never re-derive the policy.

export interface Directory {
  me: Me;
  groups: Map<string, Group>;
  resources: Map<string, Resource>;
  /** People by id, as far as this page has seen them: a name and an e-mail. */
  users: Map<string, Person>;
  groupName(id: string): string;
  resourceName(id: string): string;
  userName(id: string | null | undefined): string;
  itemName(ref: { groupId?: string | null; resourceId?: string | null; accessLevel?: string | null }): string;
  reload(): void;
  /** A person seen in a search: their name shows wherever their id appears. */
  remember(person: Person): void;
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

const Ctx = createContext<Directory | null>(null);
/** Ids share a time-ordered prefix; their tail tells them apart. */
const short = (id: string) => (id.length > 10 ? `…${id.slice(-6)}` : id);

async function all<T>(first: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await first(cursor);
    out.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return out;
}

export function DirectoryProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  const me = session.user;
  const [groups, setGroups] = useState(new Map<string, Group>());
  const [resources, setResources] = useState(new Map<string, Resource>());
  const [users, setUsers] = useState(new Map<string, Person>([[me.id, me]]));
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const listUsers = me.abilities.listUsers;
  const requested = useRef(new Set<string>());
  // Called while rendering a name the directory does not know (a person outside the caller's list, an item
  // created since it loaded, for example by the identity provider): the lookup runs afterwards, and the name
  // appears when it arrives.
  const lookUp = useCallback((kind: 'user' | 'group' | 'resource', id: string) => {
    if (requested.current.has(id)) return;
    requested.current.add(id);
    const add =
      <T extends { id: string }>(set: (f: (known: Map<string, T>) => Map<string, T>) => void) =>
      (found: T) =>
        set((known) => new Map(known).set(found.id, found));
    const params = { params: { path: { id } } };
    queueMicrotask(() => {
      const found =
        kind === 'user'
          ? ok(api.GET('/api/v1/users/{id}', params)).then(add(setUsers))
          : kind === 'group'
            ? ok(api.GET('/api/v1/groups/{id}', params)).then(add(setGroups))
            : ok(api.GET('/api/v1/resources/{id}', params)).then(add(setResources));
      void found.catch(() => undefined);
    });
  }, []);

  useEffect(() => {
    const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));
    const limit = 500;
    void all((cursor) => ok(api.GET('/api/v1/groups', { params: { query: { limit, cursor } } })))
      .then((items) => setGroups(byId(items)))
      .catch(() => undefined);
    void all((cursor) => ok(api.GET('/api/v1/resources', { params: { query: { limit, cursor } } })))
      .then((items) => setResources(byId(items)))
      .catch(() => undefined);
    if (listUsers)
      void all((cursor) => ok(api.GET('/api/v1/users', { params: { query: { limit, cursor } } })))
        .then((items) => setUsers(byId([...items, me])))
        .catch(() => undefined);
  }, [me, listUsers, round]);

  const remember = useCallback((p: Person) => {
    requested.current.add(p.id);
    setUsers((known) => (known.has(p.id) ? known : new Map(known).set(p.id, p)));
  }, []);

  const value = useMemo<Directory>(() => {
    const named = <T extends { name: string }>(kind: 'group' | 'resource', known: Map<string, T>) => {
      return (id: string) => {
        const found = known.get(id);
        if (!found) lookUp(kind, id);
        return found?.name ?? `${kind} ${short(id)}`;
      };
    };
    const groupName = named('group', groups);
    const resourceName = named('resource', resources);
    return {
      me,
      groups,
      resources,
      users,
      groupName,
      resourceName,
      userName: (id) => {
        if (!id) return 'Latch';
        if (id === me.id) return `${me.name} (you)`;
        const u = users.get(id);
        if (!u) lookUp('user', id);
        return u ? u.name || u.email : `user ${short(id)}`;
      },
      itemName: (ref) =>
        ref.groupId
          ? groupName(ref.groupId)
          : ref.resourceId
            ? `${resourceName(ref.resourceId)}${ref.accessLevel ? ` (${ref.accessLevel})` : ''}`
            : 'unknown item',
      reload,
      remember,
    };
  }, [me, groups, resources, users, reload, lookUp, remember]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDirectory(): Directory {
  const d = useContext(Ctx);
  if (!d) throw new Error('useDirectory outside DirectoryProvider');
  return d;
}
