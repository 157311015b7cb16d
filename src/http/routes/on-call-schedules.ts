import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { createOnCallSchedule } from '../../ops/on-call/create-schedule.js';
import { deleteOnCallSchedule } from '../../ops/on-call/delete-schedule.js';
import { getSchedule, groupSchedules, listSchedules, unmatchedShifts } from '../../ops/on-call/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { setGroupOnCallSchedules } from '../../ops/on-call/set-group-schedules.js';
import { syncScheduleNow } from '../../ops/on-call/sync-schedule.js';
import { updateOnCallSchedule } from '../../ops/on-call/update-schedule.js';
import { shiftsBetween } from '../../ops/on-call/shifts-between.js';
import { whoIsOnCall } from '../../ops/on-call/who-is-on-call.js';
import { decodeCursor, errorResponses, Id, IdParams, Page, pageOf, Timestamp } from '../schemas/common.js';
import {
  CreateScheduleBody,
  GroupOnCallBody,
  GroupOnCallSchema,
  ListSchedulesQuery,
  OnCallAtQuery,
  OnCallNow,
  ScheduleSchema,
  UnmatchedList,
  UpdateScheduleBody,
} from '../schemas/on-call.js';

const iso = (d: Date) => d.toISOString();

// On-call schedules (admins manage them, everyone may see who is on call) and the groups that follow them.
export function onCallScheduleRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['on-call'];
  const Ref = { $ref: 'OnCallSchedule#' };

  app.post(
    '/on-call-schedules',
    {
      schema: {
        tags,
        summary: 'Add an on-call schedule (admins); it is fetched at once',
        body: CreateScheduleBody,
        response: { 201: Ref, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOnCallSchedule(deps, request.user, request.body)),
  );

  app.get(
    '/on-call-schedules',
    {
      schema: {
        tags,
        summary: 'List on-call schedules with their sync status',
        querystring: ListSchedulesQuery,
        response: { 200: Page(ScheduleSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listSchedules(deps, request.user, {
        afterId: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (s) => s.id);
    },
  );

  app.get(
    '/on-call-schedules/:id',
    {
      schema: {
        tags,
        summary: 'One on-call schedule',
        params: IdParams,
        response: { 200: Ref, ...errorResponses(401, 404) },
      },
    },
    async (request) => getSchedule(deps, request.user, request.params.id),
  );

  app.patch(
    '/on-call-schedules/:id',
    {
      schema: {
        tags,
        summary: 'Rename a schedule or replace its settings (admins); new settings are fetched at once',
        params: IdParams,
        body: UpdateScheduleBody,
        response: { 200: Ref, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateOnCallSchedule(deps, request.user, request.params.id, request.body),
  );

  app.delete(
    '/on-call-schedules/:id',
    {
      schema: {
        tags,
        summary: 'Remove a schedule no group uses (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteOnCallSchedule(deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/on-call-schedules/:id/sync',
    {
      schema: {
        tags,
        summary: 'Fetch the schedule now (admins); the answer shows how it went',
        params: IdParams,
        response: { 200: Ref, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => syncScheduleNow(deps, request.user, request.params.id),
  );

  app.get(
    '/on-call-schedules/:id/shifts',
    {
      schema: {
        tags,
        summary:
          'Who is on call over a window (up to 31 days), shift by shift: a rotation from its rules, a feed from ' +
          'its last good sync where that reaches (known says which part is covered)',
        params: IdParams,
        querystring: Type.Object({ from: Timestamp, until: Timestamp }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ userId: Id, start: Timestamp, end: Timestamp })),
            known: Type.Union([Type.Object({ from: Timestamp, until: Timestamp }), Type.Null()]),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const t = await shiftsBetween(
        deps,
        request.params.id,
        new Date(request.query.from),
        new Date(request.query.until),
      );
      return {
        items: t.shifts.map((s) => ({ userId: s.userId, start: iso(s.start), end: iso(s.end) })),
        known: t.known && { from: iso(t.known.from), until: iso(t.known.until) },
      };
    },
  );

  app.get(
    '/on-call-schedules/:id/on-call',
    {
      schema: {
        tags,
        summary:
          'Who is on call at a time (default now), with the shift each is in. Builtin rotations answer for ' +
          'any time; other schedules from the shifts stored by their last good sync: a time outside that ' +
          'window answers 409 outside_known_window (the answer is not known, which is not "nobody"). ' +
          'Admins may add live=true to ask the provider itself: a few per schedule, then 429 rate_limited ' +
          'with Retry-After; each such call is audited (on_call.live_fetch_requested).',
        params: IdParams,
        querystring: OnCallAtQuery,
        response: { 200: OnCallNow, ...errorResponses(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (request) => {
      const at = request.query.at ? new Date(request.query.at) : deps.now();
      const answer = await whoIsOnCall(deps, request.user, request.params.id, at, {
        live: request.query.live === true,
      });
      return {
        items: answer.shifts.map((s) => ({ userId: s.userId, start: iso(s.start), end: iso(s.end) })),
        source: answer.source,
      };
    },
  );

  app.get(
    '/on-call-schedules/:id/unmatched',
    {
      schema: {
        tags,
        summary: 'Shifts of the last fetch that matched no user (admins and auditors)',
        params: IdParams,
        response: { 200: UnmatchedList, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const items = await unmatchedShifts(deps, request.user, request.params.id);
      return { items: items.map((u) => ({ ...u, start: iso(u.start), end: iso(u.end) })) };
    },
  );

  app.get(
    '/groups/:id/on-call-schedules',
    {
      schema: {
        tags,
        summary: 'The schedules whose on-call people are members of the group',
        params: IdParams,
        response: { 200: GroupOnCallSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => groupSchedules(deps, request.params.id),
  );

  app.put(
    '/groups/:id/on-call-schedules',
    {
      schema: {
        tags,
        summary: "Replace the schedules whose on-call people are the group's members (admins and owners)",
        params: IdParams,
        body: GroupOnCallBody,
        response: { 200: GroupOnCallSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setGroupOnCallSchedules(deps, request.user, request.params.id, request.body),
  );
}
