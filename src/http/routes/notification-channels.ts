import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createNotificationChannel } from '../../ops/notifications/create-channel.js';
import { deleteNotificationChannel } from '../../ops/notifications/delete-channel.js';
import { getChannel, groupChannels, listChannels } from '../../ops/notifications/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { setGroupNotificationChannels } from '../../ops/notifications/set-group-channels.js';
import { testNotificationChannel } from '../../ops/notifications/test-channel.js';
import { updateNotificationChannel } from '../../ops/notifications/update-channel.js';
import { decodeCursor, errorResponses, IdParams, Page, pageOf, Pagination } from '../schemas/common.js';
import {
  ChannelSchema,
  ChannelTestResultSchema,
  CreateChannelBody,
  GroupChannelsBody,
  GroupChannelsSchema,
  UpdateChannelBody,
} from '../schemas/notification-channels.js';

// Notification channels (admins configure them) and the channels a group's notices go to (its owners pick).
export function notificationChannelRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  const ref = { $ref: 'NotificationChannel#' };

  app.post(
    '/notification-channels',
    {
      schema: {
        tags,
        summary: 'Add an e-mail, Slack or webhook channel (admins)',
        body: CreateChannelBody,
        response: { 201: ref, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createNotificationChannel(deps, request.user, request.body)),
  );

  app.get(
    '/notification-channels',
    {
      schema: {
        tags,
        summary: 'Notification channels',
        querystring: Type.Object(Pagination),
        response: { 200: Page(ChannelSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listChannels(deps, request.user, {
        afterId: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (c) => c.id);
    },
  );

  app.get(
    '/notification-channels/:id',
    {
      schema: {
        tags,
        summary: 'One channel, with where its audit stream stands when it has one',
        params: IdParams,
        response: { 200: ref, ...errorResponses(401, 404) },
      },
    },
    async (request) => getChannel(deps, request.user, request.params.id),
  );

  app.patch(
    '/notification-channels/:id',
    {
      schema: {
        tags,
        summary: 'Change a channel (admins); secrets left out keep their value',
        params: IdParams,
        body: UpdateChannelBody,
        response: { 200: ref, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateNotificationChannel(deps, request.user, request.params.id, request.body),
  );

  app.delete(
    '/notification-channels/:id',
    {
      schema: {
        tags,
        summary: 'Delete a channel (admins); it leaves every group and its stream stops',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteNotificationChannel(deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/notification-channels/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test notice through the channel now and report the result (admins)',
        params: IdParams,
        response: { 200: ChannelTestResultSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => testNotificationChannel(deps, request.user, request.params.id),
  );

  app.get(
    '/groups/:id/notification-channels',
    {
      schema: {
        tags,
        summary: "The channels the group's notices go to",
        params: IdParams,
        response: { 200: GroupChannelsSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => groupChannels(deps, request.params.id),
  );

  app.put(
    '/groups/:id/notification-channels',
    {
      schema: {
        tags,
        summary:
          "Replace the channels the group's notices (break-glass activations, ends, reviews) go to (owners, admins)",
        params: IdParams,
        body: GroupChannelsBody,
        response: { 200: GroupChannelsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      setGroupNotificationChannels(deps, request.user, request.params.id, request.body.channelIds),
  );
}
