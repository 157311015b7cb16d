import { Type } from 'typebox';
import { MAX_GRACE_MINUTES } from '../../ops/on-call/set-group-schedules.js';
import { Id, Name, NullableTimestamp, Pagination, Timestamp } from './common.js';

// Schemas of on-call schedules, who is on call, and the groups that follow them.

const Provider = Type.Union([
  Type.Literal('builtin'),
  Type.Literal('ical'),
  Type.Literal('pagerduty'),
  Type.Literal('opsgenie'),
]);

const Config = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
  maxProperties: 20,
  description:
    'By provider. ical: {url, timezone?} (timezone for floating times and all-day events; default the ' +
    "feed's X-WR-TIMEZONE, else UTC). pagerduty: {scheduleId, apiToken, baseUrl?}. opsgenie: {scheduleId, " +
    'apiKey, baseUrl?} (EU accounts: https://api.eu.opsgenie.com). builtin: {timezone, layers: [{start, ' +
    'shiftMinutes | shiftSeconds, userIds, end?}], overrides?: [{userId, start, end}]}: participants take ' +
    'turns from start; later layers win where they have someone; overrides win over every layer; whole-day ' +
    'shifts keep their local handoff time across DST. Secrets (apiToken, apiKey, the feed URL) are stored ' +
    'encrypted and never returned (a feed URL appears as its host, urlHost); on update they may be left out to ' +
    'keep the stored one.',
});

export const ScheduleSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    provider: Provider,
    config: Type.Record(Type.String(), Type.Unknown(), { description: 'The settings without their secret' }),
    syncStatus: Type.Union([Type.Literal('pending'), Type.Literal('ok'), Type.Literal('error')]),
    syncError: Type.Union([Type.String(), Type.Null()], {
      description: "Why the last fetch failed, in Latch's words: what failed, the HTTP status, the host",
    }),
    syncErrorDetail: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          'What the provider itself said about the failure (its error body); admins and auditors only',
      }),
    ),
    lastSyncedAt: Type.Union([Timestamp, Type.Null()], { description: 'The last fetch that worked' }),
    lastAttemptAt: NullableTimestamp,
    nextSyncAt: Timestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'OnCallSchedule' },
);

export const CreateScheduleBody = Type.Object(
  { name: Name, provider: Provider, config: Config },
  { additionalProperties: false },
);

export const UpdateScheduleBody = Type.Object(
  { name: Type.Optional(Name), config: Type.Optional(Config) },
  { additionalProperties: false },
);

export const ListSchedulesQuery = Type.Object(Pagination);

export const OnCallAtQuery = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Default: now' })),
  live: Type.Optional(
    Type.Boolean({
      description:
        'Admins: ask the provider now instead of answering from stored shifts (rate-limited per schedule)',
    }),
  ),
});

export const OnCallNow = Type.Object({
  items: Type.Array(Type.Object({ userId: Id, start: Timestamp, end: Timestamp })),
  source: Type.Union([Type.Literal('rotation'), Type.Literal('stored'), Type.Literal('live')], {
    description:
      "Where the answer comes from: a builtin rotation's rules, the shifts of the last good sync, or the provider just now",
  }),
});

export const UnmatchedList = Type.Object({
  items: Type.Array(
    Type.Object({
      label: Type.String(),
      emails: Type.Array(Type.String()),
      names: Type.Array(Type.String()),
      start: Timestamp,
      end: Timestamp,
    }),
  ),
});

export const GroupOnCallSchema = Type.Object({
  scheduleIds: Type.Array(Id),
  graceMinutes: Type.Integer({ description: 'Minutes the outgoing person keeps access after a handoff' }),
});

export const GroupOnCallBody = Type.Object(
  {
    scheduleIds: Type.Array(Id, { maxItems: 50 }),
    graceMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_GRACE_MINUTES, description: 'Default 0' }),
    ),
  },
  { additionalProperties: false },
);

export const onCallSchemas = [ScheduleSchema];
