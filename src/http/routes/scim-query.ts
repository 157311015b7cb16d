import type { FastifyRequest } from 'fastify';
import { ScimError } from '../../domain/scim/errors.js';
import { parseAttributeList } from '../../domain/scim/projection.js';
import type { ListQuery } from '../../ops/scim/queries.js';

// The query parameters of SCIM reads (RFC 7644 §3.4.2): filter, startIndex, count, attributes and
// excludedAttributes; anything malformed is a SCIM 400, never a crash.

type Query = Record<string, unknown>;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ScimError(400, `${name} may be given once`, 'invalidValue');
  return v;
}

function integer(q: Query, name: string): number | undefined {
  const v = one(q, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d{1,9}$/.test(v.trim())) throw new ScimError(400, `${name} must be an integer`, 'invalidValue');
  return Number(v);
}

export function readListQuery(request: FastifyRequest): ListQuery {
  const q = (request.query ?? {}) as Query;
  return {
    filter: one(q, 'filter'),
    startIndex: integer(q, 'startIndex'),
    count: integer(q, 'count'),
    ...readProjection(request),
  };
}

export function readProjection(request: FastifyRequest) {
  const q = (request.query ?? {}) as Query;
  return {
    attributes: parseAttributeList(one(q, 'attributes')),
    excludedAttributes: parseAttributeList(one(q, 'excludedAttributes')),
  };
}

/** Where a resource lives: under LATCH_PUBLIC_URL when set, else where this request reached Latch. */
export function scimBase(request: FastifyRequest, publicUrl: URL | undefined): string {
  const root = publicUrl ? publicUrl.toString().replace(/\/$/, '') : `${request.protocol}://${request.host}`;
  return `${root}/scim/v2`;
}
