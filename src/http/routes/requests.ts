import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { approveRequest } from '../../ops/requests/approve.js';
import { cancelRequest } from '../../ops/requests/cancel.js';
import { createRequest } from '../../ops/requests/create.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { getRequest, listRequests } from '../../ops/requests/queries.js';
import { denyRequest } from '../../ops/requests/deny.js';
import { extendGrant } from '../../ops/requests/extend-grant.js';
import { OPTIONAL_BODY } from '../validation.js';
import { decodeCursor, errorResponses, IdParams, Page, pageOf } from '../schemas/common.js';
import {
  ApproveBody,
  CreateRequestBody,
  DenyBody,
  ExtendBody,
  RequestSchema,
  RequestsQuery,
} from '../schemas/requests.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

const Request = Type.Ref('Request');
const NoBody = Type.Object({}, { additionalProperties: false, [OPTIONAL_BODY]: true });

// Access requests: asking, reviewing in stages, canceling, listing, and extending a requested grant.
export function requestRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['requests'];

  app.post(
    '/requests',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary:
          'Request access to items for yourself or, as an admin or an owner of every item, for someone else. ' +
          'Auto-approved items are granted at once; the others wait for their reviewers',
        body: CreateRequestBody,
        response: { 201: Request, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createRequest(idempotent(deps, request), request.user, request.body)),
  );

  app.get(
    '/requests',
    {
      schema: {
        tags,
        summary:
          'Requests; admins and auditors see all, others those by or for them, those they review and those on items they own',
        querystring: RequestsQuery,
        response: { 200: Page(RequestSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await listRequests(deps, request.user, {
        requesterId: q.requesterId,
        targetUserId: q.targetUserId,
        status: q.status,
        reviewable: q.reviewable,
        afterId: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.get(
    '/requests/:id',
    {
      schema: {
        tags,
        summary: 'One request',
        params: IdParams,
        response: { 200: Request, ...errorResponses(401, 404) },
      },
    },
    async (request) => getRequest(deps, request.user, request.params.id),
  );

  app.post(
    '/requests/:id/approve',
    {
      schema: {
        tags,
        summary:
          'Approve the items whose current stage you review; the last stage grants them, starting now. ' +
          'Never your own request',
        params: IdParams,
        body: ApproveBody,
        response: { 200: Request, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => approveRequest(deps, request.user, request.params.id, request.body ?? {}),
  );

  app.post(
    '/requests/:id/deny',
    {
      schema: {
        tags,
        summary: 'Deny the pending items whose current stage you review, saying why',
        params: IdParams,
        body: DenyBody,
        response: { 200: Request, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => denyRequest(deps, request.user, request.params.id, request.body),
  );

  app.post(
    '/requests/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Withdraw a pending request (the requester or the person it is for)',
        params: IdParams,
        body: NoBody,
        response: { 200: Request, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => cancelRequest(deps, request.user, request.params.id),
  );

  app.post(
    '/grants/:id/extend',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary:
          'Ask for more time on a grant that came from a request (its holder). Judged under the configuration ' +
          'that applies now; the answer is a request flagged extensionOf, granted at once when auto-approved. ' +
          'The new grant runs durationMinutes from its approval',
        params: IdParams,
        body: ExtendBody,
        response: { 201: Request, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await extendGrant(idempotent(deps, request), request.user, request.params.id, request.body)),
  );
}
