import { describeDeliveries } from '../../domain/notice-deliveries.js';
import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { activateBreakGlass } from '../../ops/break-glass/activate.js';
import { configureBreakGlass } from '../../ops/break-glass/configure.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { endBreakGlass } from '../../ops/break-glass/end.js';
import {
  activationView,
  breakGlassSettings,
  getActivation,
  listActivations,
} from '../../ops/break-glass/queries.js';
import { reviewBreakGlass } from '../../ops/break-glass/review.js';
import {
  ActivateBody,
  ActivationSchema,
  ActivationsQuery,
  BreakGlassSettingsSchema,
  EndBody,
  ReviewBody,
  SettingsBody,
} from '../schemas/break-glass.js';
import { decodeCursor, errorResponses, IdParams, Page, pageOf } from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

// Break-glass on groups (resources have none): settings, activations, ending and reviewing them.
export function breakGlassRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['break-glass'];

  app.get(
    '/groups/:id/break-glass',
    {
      schema: {
        tags,
        summary: "The group's break-glass users and window",
        params: IdParams,
        response: { 200: BreakGlassSettingsSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => breakGlassSettings(deps, request.params.id),
  );

  app.put(
    '/groups/:id/break-glass',
    {
      schema: {
        tags,
        summary: 'Replace who may break the glass on the group and for how long (admins and owners)',
        params: IdParams,
        body: SettingsBody,
        response: { 200: BreakGlassSettingsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => configureBreakGlass(deps, request.user, request.params.id, request.body),
  );

  app.post(
    '/groups/:id/break-glass/activations',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary:
          'Break the glass: access to the group for its window, now, with a required reason; reviewed afterwards',
        params: IdParams,
        body: ActivateBody,
        response: { 201: ActivationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { deliveries, ...created } = await activateBreakGlass(
        idempotent(deps, request),
        request.user,
        request.params.id,
        request.body?.reason,
      );
      const view = await activationView(deps, request.user, created);
      return reply
        .code(201)
        .send({ ...view, deliveries: { ...deliveries, summary: describeDeliveries(deliveries) } });
    },
  );

  app.get(
    '/break-glass/activations',
    {
      schema: {
        tags,
        summary: 'Activations; admins and auditors see all, others their own and those on groups they own',
        querystring: ActivationsQuery,
        response: { 200: Page(ActivationSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await listActivations(deps, request.user, {
        ...q,
        afterId: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (a) => a.id);
    },
  );

  app.get(
    '/break-glass/activations/:id',
    {
      schema: {
        tags,
        summary: 'One activation',
        params: IdParams,
        response: { 200: ActivationSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getActivation(deps, request.user, request.params.id),
  );

  app.post(
    '/break-glass/activations/:id/end',
    {
      schema: {
        tags,
        summary: "End an activation now (the holder, the group's owners, admins); its access stops at once",
        params: IdParams,
        body: EndBody,
        response: { 200: ActivationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      activationView(
        deps,
        request.user,
        await endBreakGlass(deps, request.user, request.params.id, request.body?.reason),
      ),
  );

  app.post(
    '/break-glass/activations/:id/review',
    {
      schema: {
        tags,
        summary: "Review an activation (the group's owners and admins, never the activator)",
        params: IdParams,
        body: ReviewBody,
        response: { 200: ActivationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      activationView(
        deps,
        request.user,
        await reviewBreakGlass(deps, request.user, request.params.id, request.body),
      ),
  );
}
