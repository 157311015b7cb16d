import { Type, type Static, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import {
  reportCsvHeader,
  reportCsvLine,
  reportHtmlEnd,
  reportHtmlRow,
  reportHtmlStart,
} from '../../domain/access-reviews/report-format.js';
import { closeAccessReview } from '../../ops/access-reviews/close-review.js';
import { createAccessReview } from '../../ops/access-reviews/create-review.js';
import { decideRows } from '../../ops/access-reviews/decide.js';
import { delegateRows, endDelegation } from '../../ops/access-reviews/delegate.js';
import { getReview, listReviews, listRows } from '../../ops/access-reviews/queries.js';
import { openReport } from '../../ops/access-reviews/report.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';
import {
  AccessReviewRowSchema,
  CreateAccessReviewBody,
  DecisionBody,
  DelegationBody,
  DelegationParams,
  ListQuery,
  ReportQuery,
  RowsQuery,
} from '../schemas/access-reviews.js';
import { decodeCursor, decodeSeqCursor, errorResponses, IdParams, Page, pageOf } from '../schemas/common.js';

// Access reviews: campaigns in which reviewers keep or revoke standing access. Admins and auditors run them;
// reviewers see and decide their own rows.
export function accessReviewRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['access reviews'];
  const ref = { $ref: 'AccessReview#' };

  app.post(
    '/access-reviews',
    {
      schema: {
        tags,
        summary: 'Start a campaign over groups, resources or connected systems (admins and auditors)',
        description:
          'Takes a snapshot of who holds what: one row per user, item, access level and what gives it (a grant ' +
          'or a nesting edge). Access that ends by the deadline is listed but needs no decision.',
        headers: IdempotencyHeaders,
        body: CreateAccessReviewBody,
        response: { 201: ref, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createAccessReview(idempotent(deps, request), request.user, request.body)),
  );

  app.get(
    '/access-reviews',
    {
      schema: {
        tags,
        summary: 'Campaigns, newest first: all for admins and auditors, the ones they review for others',
        querystring: ListQuery,
        response: { 200: Page(ref), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const items = await listReviews(deps, request.user, {
        status: q.status,
        beforeId: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(items, limit, (r) => r.id);
    },
  );

  app.get(
    '/access-reviews/:id',
    {
      schema: {
        tags,
        summary: 'One campaign with its progress',
        params: IdParams,
        response: { 200: ref, ...errorResponses(401, 404) },
      },
    },
    async (request) => getReview(deps, request.user, request.params.id),
  );

  app.get(
    '/access-reviews/:id/rows',
    {
      schema: {
        tags,
        summary: "The campaign's rows in order: every row for admins and auditors, a reviewer's own for them",
        params: IdParams,
        querystring: RowsQuery,
        response: { 200: Page(AccessReviewRowSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await listRows(deps, request.user, request.params.id, {
        reviewerId: q.reviewerId,
        decision: q.decision,
        userId: q.userId,
        groupId: q.groupId,
        resourceId: q.resourceId,
        afterPosition: decodeSeqCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => Number(r.id));
    },
  );

  app.post(
    '/access-reviews/:id/decisions',
    {
      schema: {
        tags,
        summary:
          'Keep, revoke (with a comment) or shorten rows; applied when the campaign closes (their reviewers)',
        params: IdParams,
        body: DecisionBody,
        response: {
          200: Type.Object({ items: Type.Array(AccessReviewRowSchema) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => ({ items: await decideRows(deps, request.user, request.params.id, request.body) }),
  );

  app.post(
    '/access-reviews/:id/delegations',
    {
      schema: {
        tags,
        summary: "Hand a reviewer's rows to someone else until a date (the reviewer, admins and auditors)",
        params: IdParams,
        body: DelegationBody,
        response: { 201: { $ref: 'AccessReviewDelegation#' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await delegateRows(deps, request.user, request.params.id, request.body)),
  );

  app.delete(
    '/access-reviews/:id/delegations/:fromUserId',
    {
      schema: {
        tags,
        summary:
          "Take a reviewer's rows back now from whom they were handed to (the reviewer, admins and auditors)",
        params: DelegationParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await endDelegation(deps, request.user, request.params.id, request.params.fromUserId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/access-reviews/:id/close',
    {
      schema: {
        tags,
        summary: 'Close now and apply the decisions (admins and auditors)',
        params: IdParams,
        response: { 200: ref, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => closeAccessReview(deps, request.user, request.params.id),
  );

  // Registered untyped: its answer is a stream, not the JSON its response schema would type.
  fastify.get(
    '/access-reviews/:id/report',
    {
      schema: {
        tags,
        summary:
          'The rows the caller may read, with names, decisions and effects, as CSV or a printable page',
        params: IdParams,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'The report',
            content: {
              'text/csv': { schema: { type: 'string', format: 'binary' } },
              'text/html': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as Static<typeof IdParams>;
      const format = (request.query as Static<typeof ReportQuery>).format ?? 'csv';
      const report = await openReport(deps, request.user, id);
      async function* text() {
        yield format === 'csv' ? reportCsvHeader() : reportHtmlStart(report.title);
        for await (const line of report.lines)
          yield format === 'csv' ? reportCsvLine(line) : reportHtmlRow(line);
        if (format === 'html') yield reportHtmlEnd();
      }
      const stamp = deps.now().toISOString().slice(0, 19).replace(/:/g, '-');
      if (format === 'csv')
        reply.header('content-disposition', `attachment; filename="access-review-${id}-${stamp}.csv"`);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(Readable.from(text()));
    },
  );
}
