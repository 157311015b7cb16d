import { Type } from 'typebox';
import { Id, Name, NullableTimestamp, Pagination, Reason, Timestamp, UserRef } from './common.js';

// Schemas of access review campaigns, their rows, decisions and delegations.

const Ids = (description: string) => Type.Optional(Type.Array(Id, { maxItems: 500, description }));
const Users = (description: string) => Type.Optional(Type.Array(UserRef, { maxItems: 100, description }));
const ReviewerType = Type.Union([Type.Literal('owners'), Type.Literal('admins'), Type.Literal('users')]);
const Decision = Type.Union([Type.Literal('keep'), Type.Literal('revoke'), Type.Literal('shorten')]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const Scope = Type.Object(
  {
    groupIds: Ids('Groups to review'),
    resourceIds: Ids('Resources to review'),
    connectionIds: Ids('Connected systems: every group and resource linked to them'),
    everything: Type.Optional(Type.Boolean({ description: 'Every group and resource' })),
  },
  { additionalProperties: false },
);

const Reviewers = Type.Object(
  {
    type: ReviewerType,
    userIds: Users('With type users: who reviews every row (ids or e-mails)'),
    fallbackUserIds: Users(
      "Who reviews rows nobody else may (an item without owners, or only the row's own user); admins if omitted",
    ),
  },
  { additionalProperties: false },
);

export const CreateAccessReviewBody = Type.Object(
  {
    name: Name,
    scope: Scope,
    reviewers: Reviewers,
    deadline: { ...Timestamp, description: 'In the future; the campaign closes then' },
    autoRevokeUnreviewed: Type.Optional(
      Type.Boolean({ description: 'At closing, revoke rows that need a decision and have none' }),
    ),
    allowSelfReview: Type.Optional(Type.Boolean({ description: 'Let reviewers decide their own access' })),
  },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });

export const DelegationSchema = Type.Object(
  { fromUserId: Id, toUserId: Id, until: Timestamp, createdBy: Id, createdAt: Timestamp },
  { $id: 'AccessReviewDelegation' },
);

export const AccessReviewSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    createdBy: Id,
    createdAt: Timestamp,
    deadline: Timestamp,
    closedAt: NullableTimestamp,
    closedBy: Type.Union([Id, Type.Null()], {
      description: 'null when the time engine closed it at the deadline',
    }),
    scope: Type.Object({
      groupIds: Type.Array(Id),
      resourceIds: Type.Array(Id),
      connectionIds: Type.Array(Id),
      everything: Type.Boolean(),
    }),
    reviewers: Type.Object({ type: ReviewerType, userIds: Type.Array(Id), fallbackUserIds: Type.Array(Id) }),
    autoRevokeUnreviewed: Type.Boolean(),
    allowSelfReview: Type.Boolean(),
    rowCount: { ...Count, description: 'Rows listed, those that need no decision included' },
    progress: Type.Object({
      total: { ...Count, description: 'Rows that need a decision' },
      decided: Count,
      byReviewer: Type.Array(Type.Object({ reviewerId: Id, total: Count, decided: Count })),
    }),
    outcome: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()], {
      description:
        'Once closed: how many rows ended with each effect (revoked, shortened, kept, skipped ...)',
    }),
    delegations: Type.Array(Type.Ref('AccessReviewDelegation')),
    actingFor: Type.Array(Id, {
      description:
        'The reviewers whose rows the caller decides now: themselves, and those who handed rows to them',
    }),
    abilities: Type.Object(
      {
        close: Type.Boolean(),
        readAllRows: Type.Boolean(),
        delegateOwn: Type.Boolean({ description: 'Hand one’s own rows to another reviewer' }),
        delegateAny: Type.Boolean({ description: 'Hand any reviewer’s rows to another' }),
      },
      { description: 'What the caller may do with this campaign now, from the authorization policy' },
    ),
  },
  { $id: 'AccessReview' },
);

export const AccessReviewRowSchema = Type.Object(
  {
    id: Type.String(),
    userId: Id,
    groupId: Type.Union([Id, Type.Null()]),
    resourceId: Type.Union([Id, Type.Null()]),
    accessLevel: NullableString,
    via: Type.Object({
      grantId: Type.Union([Id, Type.Null()]),
      edge: Type.Union([
        Type.Object(
          {
            assetId: Id,
            parentGroupId: { ...Id, description: 'The group that holds the asset' },
            childGroupId: Type.Union([Id, Type.Null()]),
            resourceId: Type.Union([Id, Type.Null()]),
          },
          { description: 'The nesting edge that gives the access; childGroupId or resourceId is the asset' },
        ),
        Type.Null(),
      ]),
      path: Type.Array(Id, {
        description:
          "The user's grant is on path[0]; edges lead down through the following groups to the item (a resource is left out)",
      }),
    }),
    reviewerIds: Type.Array(Id),
    needsDecision: Type.Boolean({ description: 'false when the access ends by the deadline on its own' }),
    accessEndsAt: NullableTimestamp,
    decision: Type.Union([Decision, Type.Null()]),
    keepUntil: NullableTimestamp,
    decidedBy: Type.Union([Id, Type.Null()]),
    decidedAt: NullableTimestamp,
    comment: NullableString,
    effect: Type.Union([Type.String(), Type.Null()], { description: 'What closing did with the row' }),
    abilities: Type.Object(
      { decide: Type.Boolean() },
      { description: 'Whether the caller may decide this row now, from the authorization policy' },
    ),
  },
  { $id: 'AccessReviewRow' },
);

export const ListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  ...Pagination,
});

export const RowsQuery = Type.Object({
  reviewerId: Type.Optional({
    ...UserRef,
    description: 'Rows this reviewer decides (theirs and those delegated to them now)',
  }),
  decision: Type.Optional(Type.Union([Decision, Type.Literal('undecided')])),
  userId: Type.Optional({ ...UserRef, description: "Rows about this person's access" }),
  groupId: Type.Optional({ ...Id, description: 'Rows about this group' }),
  resourceId: Type.Optional({ ...Id, description: 'Rows about this resource' }),
  ...Pagination,
});

export const DecisionBody = Type.Object(
  {
    rowIds: Type.Array(Type.String({ minLength: 1, maxLength: 16 }), { minItems: 1, maxItems: 1000 }),
    decision: Decision,
    keepUntil: Type.Optional({ ...Timestamp, description: 'With shorten: access is kept until then' }),
    comment: Type.Optional({ ...Reason, description: 'Required with revoke' }),
  },
  { additionalProperties: false },
);

export const DelegationBody = Type.Object(
  { fromUserId: UserRef, toUserId: UserRef, until: Timestamp },
  { additionalProperties: false },
);

/** A campaign, and the reviewer whose handed-over rows are meant. */
export const DelegationParams = Type.Object({ id: Id, fromUserId: UserRef });

export const ReportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('html')])),
});

export const accessReviewSchemas = [DelegationSchema, AccessReviewSchema, AccessReviewRowSchema];
