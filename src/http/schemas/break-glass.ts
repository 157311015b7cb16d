import { Type } from 'typebox';
import {
  DEFAULT_DURATION_MINUTES,
  MAX_COMMENT_LENGTH,
  MAX_DURATION_MINUTES,
  MAX_REASON_LENGTH,
  MIN_DURATION_MINUTES,
} from '../../domain/break-glass.js';
import { OPTIONAL_BODY } from '../validation.js';
import { Id, NullableTimestamp, Pagination, Reason, Timestamp, UserRef } from './common.js';

// Schemas of break-glass: per-group settings, activations and their reviews.

const NullableId = Type.Union([Id, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
/** As long as a whole request body may be (BODY_LIMIT_BYTES in app.ts). */
const BODY_SIZED = 256 * 1024;
const ReviewOutcome = Type.Union([Type.Literal('justified'), Type.Literal('unjustified')]);
const ReviewStatus = Type.Union([Type.Literal('pending'), ReviewOutcome]);

export const BreakGlassSettingsSchema = Type.Object(
  {
    userIds: Type.Array(Id),
    groupIds: Type.Array(Id, { description: 'Every effective member of these groups is a break-glass user' }),
    durationMinutes: Type.Integer({ minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES }),
  },
  { $id: 'BreakGlassSettings' },
);

export const SettingsBody = Type.Object(
  {
    userIds: Type.Array(UserRef, { maxItems: 500 }),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 100, description: 'Omitted: none' })),
    durationMinutes: Type.Optional(
      Type.Integer({
        minimum: MIN_DURATION_MINUTES,
        maximum: MAX_DURATION_MINUTES,
        description: `How long an activation lasts. Omitted: ${DEFAULT_DURATION_MINUTES}`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const ActivationSchema = Type.Object(
  {
    id: Id,
    groupId: Id,
    userId: Id,
    reason: Type.String(),
    activatedAt: Timestamp,
    expiresAt: Timestamp,
    endedAt: NullableTimestamp,
    endedBy: NullableId,
    endReason: Type.Union([Type.String(), Type.Null()], {
      description: '`superseded`, `expired`, or why it was ended',
    }),
    grantId: Id,
    status: Type.Union([Type.Literal('active'), Type.Literal('ended'), Type.Literal('expired')]),
    review: Type.Object({
      status: ReviewStatus,
      reviewedBy: NullableId,
      reviewedAt: NullableTimestamp,
      comment: NullableText,
      overdue: Type.Boolean({ description: 'Pending and activated more than 72 hours ago' }),
    }),
    abilities: Type.Object(
      { end: Type.Boolean(), review: Type.Boolean() },
      {
        description:
          'What the caller may do to this activation, from the authorization policy: end it (the holder, ' +
          "the group's owners, admins) and review it (owners and admins other than the activator)",
      },
    ),
    deliveries: Type.Optional(
      Type.Object(
        {
          shownInLatch: Type.Integer({ description: 'People who see it to review in their Latch inbox' }),
          emailed: Type.Integer({
            description: 'People it is e-mailed to (0 without an e-mail channel for it)',
          }),
          channels: Type.Array(Type.String(), { description: "The group's channels it is posted to" }),
          summary: Type.String({ description: 'The same in a sentence, to show the activator' }),
        },
        { description: 'In the answer to an activation only: what went out about it' },
      ),
    ),
  },
  { $id: 'BreakGlassActivation' },
);

/**
 * The reason is checked by the operation, not here: a missing or blank reason must answer `reason_required`,
 * an over-long one `validation_failed`, both after trimming. The schema bound is the body limit, so it never
 * decides.
 */
export const ActivateBody = Type.Object(
  {
    reason: Type.Optional(
      Type.String({
        maxLength: BODY_SIZED,
        description: `Required: 1 to ${MAX_REASON_LENGTH} characters once trimmed`,
      }),
    ),
  },
  { additionalProperties: false, [OPTIONAL_BODY]: true },
);

export const EndBody = Type.Object(
  { reason: Type.Optional(Reason) },
  { additionalProperties: false, [OPTIONAL_BODY]: true },
);

export const ReviewBody = Type.Object(
  { outcome: ReviewOutcome, comment: Type.String({ minLength: 1, maxLength: MAX_COMMENT_LENGTH }) },
  { additionalProperties: false },
);

export const ActivationsQuery = Type.Object({
  groupId: Type.Optional(Id),
  userId: Type.Optional(UserRef),
  active: Type.Optional(Type.Boolean()),
  review: Type.Optional(Type.Union([ReviewStatus, Type.Literal('overdue')])),
  ...Pagination,
});

export const breakGlassSchemas = [BreakGlassSettingsSchema, ActivationSchema];
