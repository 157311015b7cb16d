import { Type, type TSchema } from 'typebox';
import { invalid } from '../../domain/errors.js';

// Building blocks shared by route schemas. Every string has a bound; every list has a bound.

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const Email = Type.String({ minLength: 3, maxLength: 254 });
/** Marks a field that names a user: it takes the user's id or e-mail (src/http/user-refs.ts resolves it). */
export const USER_REF = 'x-latch-user-ref';
/** A user, by id or by e-mail. */
export const UserRef = Type.String({
  minLength: 1,
  maxLength: 254,
  [USER_REF]: true,
  description: "A user's id, or their e-mail",
});
/** The path of a route about one user: `{id}` is the user's id or e-mail. */
export const UserParams = Type.Object({ id: UserRef });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Description = Type.String({ maxLength: 2000 });
export const Reason = Type.String({ maxLength: 1000 });

export const IdParams = Type.Object({ id: Id });

export const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(
      Type.String({ description: 'With request_pending: the request for the same access already waiting' }),
    ),
  },
  { $id: 'Problem' },
);

/** The error responses a route can give, for the OpenAPI document. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: 'Problem#' }]));

export const encodeCursor = (value: string | number) =>
  Buffer.from(String(value), 'utf8').toString('base64url');

/** What the lists cut by id issue: an id, a type prefix and a UUID (src/store/ids.ts). */
export const ID_CURSOR = /^[a-z]{2,8}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What the lists cut by audit sequence number issue: a non-negative safe integer. */
const SEQ_CURSOR = /^(0|[1-9]\d{0,14})$/;

const notOurCursor = () =>
  invalid('cursor', 'is not a cursor this server issued: pass a nextCursor from the previous page, or none');

/**
 * The value inside a cursor, which is only ever one a list issued (canonical base64url of text of the given
 * shape); anything else is refused before it reaches a query.
 */
export function decodeCursor(cursor: string | undefined, shape: RegExp = ID_CURSOR): string | undefined {
  if (!cursor) return undefined;
  const bytes = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : undefined;
  if (!bytes || bytes.toString('base64url') !== cursor) throw notOurCursor();
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes) || !shape.test(text)) throw notOurCursor();
  return text;
}

export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  const text = decodeCursor(cursor, SEQ_CURSOR);
  return text === undefined ? undefined : Number(text);
}

/** Fetch one more than asked to know whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string | number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
