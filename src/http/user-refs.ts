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

/** Calls `visit(holder, key)` for every place `path` names in `value` that holds a string. */
function eachRef(
  value: unknown,
  path: RefPath,
  visit: (holder: Record<string, unknown>, key: string) => void,
) {
  if (path.length === 0 || value === null || typeof value !== 'object') return;
  const [head, ...rest] = path as [string, ...string[]];
  const holder = value as Record<string, unknown>;
  const keys = head === '*' ? (Array.isArray(value) ? value.map((_, i) => String(i)) : []) : [head];
  for (const key of keys) {
    if (rest.length === 0) {
      if (typeof holder[key] === 'string') visit(holder, key);
    } else eachRef(holder[key], rest, visit);
  }
}

type Part = 'body' | 'query' | 'params';
const PARTS: Record<Part, 'body' | 'querystring' | 'params'> = {
  body: 'body',
  query: 'querystring',
  params: 'params',
};

export function registerUserRefs(app: FastifyInstance, deps: OpsDeps) {
  const routes = new Map<string, [Part, RefPath][]>();
  app.addHook('onRoute', (route) => {
    const found: [Part, RefPath][] = [];
    for (const [part, key] of Object.entries(PARTS) as [Part, (typeof PARTS)[Part]][])
      for (const path of refPaths(route.schema?.[key])) found.push([part, path]);
    if (found.length === 0) return;
    for (const method of [route.method].flat()) routes.set(`${method} ${route.url}`, found);
  });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const paths = routes.get(`${request.method} ${request.routeOptions.url}`);
    if (!paths) return;
    const places: { holder: Record<string, unknown>; key: string; email: string }[] = [];
    for (const [part, path] of paths)
      eachRef(request[part], path, (holder, key) => {
        const text = holder[key] as string;
        if (text.includes('@')) places.push({ holder, key, email: text });
      });
    if (places.length === 0) return;
    const ids = await resolveUserEmails(deps, [...new Set(places.map((p) => p.email))]);
    for (const p of places) {
      const id = ids.get(p.email);
      if (id !== undefined) p.holder[p.key] = id;
    }
  });
}
