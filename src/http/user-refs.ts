import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { resolveUserEmails } from '../ops/identity/queries.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import { USER_REF } from './schemas/common.js';

// Wherever the API means a user it takes the user's id or their e-mail, as people type them. Fields declared
// with UserRef (schemas/common.ts) are found in each route's schema once, when the route is registered; before the handler runs,
// e-mails in them (anything with an '@': ids never have one) are replaced by the ids of the users with those
// e-mails, case-insensitively, in one look-up. An e-mail nobody has stays as typed, so the operation refuses it
// as an unknown user, naming what the caller wrote.

/** Where user references sit in a request part: keys from its root, '*' for every element of an array. */
type RefPath = string[];

function refPaths(schema: unknown, at: RefPath = [], out: RefPath[] = []): RefPath[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as TSchema & Record<string, unknown>;
  if (s[USER_REF] === true) out.push(at);
  if (s.properties && typeof s.properties === 'object')
    for (const [key, sub] of Object.entries(s.properties as Record<string, unknown>))
      refPaths(sub, [...at, key], out);
  if (s.items) refPaths(s.items, [...at, '*'], out);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(s[keyword])) for (const sub of s[keyword] as unknown[]) refPaths(sub, at, out);
  return out;
}

/**
 * Calls `visit(holder, key)` for every place `path` (from index `at`) names in `value` that holds a string.
 * Walks without allocating: a batch check walks a thousand entries on every request.
 */
function eachRef(
  value: unknown,
  path: RefPath,
  at: number,
  visit: (holder: Record<string, unknown> | unknown[], key: string | number) => void,
): void {
  if (value === null || typeof value !== 'object') return;
  const head = path[at]!;
  const last = at === path.length - 1;
  if (head === '*') {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (last) {
        if (typeof value[i] === 'string') visit(value, i);
      } else eachRef(value[i], path, at + 1, visit);
    }
    return;
  }
  const holder = value as Record<string, unknown>;
  if (last) {
    if (typeof holder[head] === 'string') visit(holder, head);
  } else eachRef(holder[head], path, at + 1, visit);
}

type Part = 'body' | 'query' | 'params';
const PARTS: Record<Part, 'body' | 'querystring' | 'params'> = {
  body: 'body',
  query: 'querystring',
  params: 'params',
};

export function registerUserRefs(app: FastifyInstance, deps: OpsDeps) {
  // Only the routes that name users get the step, added to their own preHandlers.
  app.addHook('onRoute', (route) => {
    const paths: [Part, RefPath][] = [];
    for (const [part, key] of Object.entries(PARTS) as [Part, (typeof PARTS)[Part]][])
      for (const path of refPaths(route.schema?.[key])) if (path.length > 0) paths.push([part, path]);
    if (paths.length === 0) return;
    const resolve = async (request: FastifyRequest) => {
      const places: { holder: Record<string, unknown> | unknown[]; key: string | number; email: string }[] =
        [];
      const visit = (holder: Record<string, unknown> | unknown[], key: string | number) => {
        const text = (holder as Record<string | number, unknown>)[key] as string;
        if (text.includes('@')) places.push({ holder, key, email: text });
      };
      for (const [part, path] of paths) eachRef(request[part], path, 0, visit);
      if (places.length === 0) return;
      const ids = await resolveUserEmails(deps, [...new Set(places.map((p) => p.email))]);
      for (const p of places) {
        const id = ids.get(p.email);
        if (id !== undefined) (p.holder as Record<string | number, unknown>)[p.key] = id;
      }
    };
    route.preHandler = [...[route.preHandler ?? []].flat(), resolve];
  });
}
