import { Type } from 'typebox';
import { MAX_DURATION_MINUTES } from '../../domain/grants.js';
import { MAX_ENTRIES, MAX_IDS, MAX_PRIORITY, MAX_STAGES } from '../../domain/request-config.js';
import { MAX_COMMENT_LENGTH, MAX_ITEMS } from '../../domain/requests.js';
import { OPTIONAL_BODY } from '../validation.js';
import { AccessLevel } from './access-model.js';
import { Id, NullableTimestamp, Pagination, Reason, Timestamp, UserRef } from './common.js';

// Schemas of request configurations, requests and their extension.

const NullableId = Type.Union([Id, Type.Null()]);
const Minutes = Type.Integer({ minimum: 1, maximum: MAX_DURATION_MINUTES });
const NullableMinutes = Type.Union([Minutes, Type.Null()]);
const Operator = Type.Union([Type.Literal('all'), Type.Literal('any')]);

const ReviewersInput = Type.Object(
  {
    owners: Type.Optional(Type.Boolean({ description: "The item's owners when the stage starts" })),
    admins: Type.Optional(Type.Boolean({ description: 'Active admins when the stage starts' })),
    userIds: Type.Optional(Type.Array(UserRef, { maxItems: MAX_IDS })),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: MAX_IDS, description: 'Effective members' })),
  },
  { additionalProperties: false },
);

const EntryFields = {
  priority: Type.Integer({ minimum: 0, maximum: MAX_PRIORITY, description: 'Lower is tried first' }),
  condition: Type.Union([
    Type.Object(
      { groupIds: Type.Array(Id, { minItems: 1, maxItems: MAX_IDS }) },
      { additionalProperties: false },
    ),
    Type.Null(),
  ]),
  requestable: Type.Boolean(),
  autoApprove: Type.Boolean(),
  maxDurationMinutes: NullableMinutes,
  recommendedDurationMinutes: NullableMinutes,
  requireReason: Type.Boolean(),
};

export const ConfigurationsBody = Type.Array(
  Type.Object(
    {
      ...EntryFields,
      reviewerStages: Type.Array(
        Type.Object({ operator: Operator, reviewers: ReviewersInput }, { additionalProperties: false }),
        {
          maxItems: MAX_STAGES,
        },
      ),
    },
    { additionalProperties: false },
  ),
  { maxItems: MAX_ENTRIES },
);

export const ReviewerStageSchema = Type.Object(
  {
    operator: Operator,
    reviewers: Type.Object({
      owners: Type.Boolean(),
      admins: Type.Boolean(),
      userIds: Type.Array(Id),
      groupIds: Type.Array(Id),
    }),
  },
  { $id: 'ReviewerStage' },
);

export const ConfigurationSchema = Type.Object(
  { ...EntryFields, reviewerStages: Type.Array(Type.Ref('ReviewerStage')) },
  { $id: 'RequestConfiguration' },
);

export const ConfigurationList = Type.Array(Type.Ref('RequestConfiguration'));

export const RequestItemSchema = Type.Object(
  {
    id: Id,
    groupId: NullableId,
    resourceId: NullableId,
    accessLevel: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('approved'),
      Type.Literal('denied'),
      Type.Literal('canceled'),
      Type.Literal('expired'),
    ]),
    grantId: NullableId,
    autoApprove: Type.Boolean(),
    reviewerStages: Type.Array(Type.Ref('ReviewerStage'), { description: 'Snapshot taken when requested' }),
    stageIndex: Type.Integer(),
    currentStage: Type.Union([
      Type.Object({
        index: Type.Integer(),
        operator: Operator,
        reviewerIds: Type.Array(Id),
        approvedBy: Type.Array(Id),
      }),
      Type.Null(),
    ]),
    decidedAt: NullableTimestamp,
    decidedBy: NullableId,
    comment: Type.Union([Type.String(), Type.Null()]),
    approvals: Type.Array(
      Type.Object({
        stageIndex: Type.Integer(),
        userId: Id,
        at: Timestamp,
        comment: Type.Union([Type.String(), Type.Null()]),
      }),
      { description: 'Every approval given so far, stage by stage, oldest first: the decision history' },
    ),
  },
  { $id: 'RequestItem' },
);

export const RequestStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('denied'),
  Type.Literal('partially_approved'),
  Type.Literal('canceled'),
  Type.Literal('expired'),
]);

export const RequestSchema = Type.Object(
  {
    id: Id,
    requesterId: Id,
    targetUserId: Id,
    status: RequestStatus,
    reason: Type.Union([Type.String(), Type.Null()]),
    durationMinutes: Type.Integer(),
    extensionOf: Type.Union([Id, Type.Null()], { description: 'The grant this request extends' }),
    createdAt: Timestamp,
    expiresAt: Type.String({
      format: 'date-time',
      description: 'When the request lapses if nobody decides it',
    }),
    decidedAt: NullableTimestamp,
    canceledBy: NullableId,
    items: Type.Array(Type.Ref('RequestItem')),
  },
  { $id: 'Request' },
);

const ItemRef = Type.Union([
  Type.Object({ groupId: Id }, { additionalProperties: false }),
  Type.Object({ resourceId: Id, accessLevel: AccessLevel }, { additionalProperties: false }),
]);

export const CreateRequestBody = Type.Object(
  {
    items: Type.Array(ItemRef, { minItems: 1, maxItems: MAX_ITEMS }),
    durationMinutes: Minutes,
    reason: Type.Optional(Reason),
    targetUserId: Type.Optional(UserRef),
  },
  { additionalProperties: false },
);

export const ApproveBody = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: MAX_COMMENT_LENGTH })) },
  { additionalProperties: false, [OPTIONAL_BODY]: true },
);

export const DenyBody = Type.Object(
  { comment: Type.String({ minLength: 1, maxLength: MAX_COMMENT_LENGTH }) },
  { additionalProperties: false },
);

export const ExtendBody = Type.Object(
  { durationMinutes: Minutes, reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

export const RequestsQuery = Type.Object({
  requesterId: Type.Optional(UserRef),
  targetUserId: Type.Optional(UserRef),
  reviewable: Type.Optional(Type.Boolean({ description: 'Only pending requests you can review now' })),
  status: Type.Optional(RequestStatus),
  ...Pagination,
});

export const requestSchemas = [ReviewerStageSchema, ConfigurationSchema, RequestItemSchema, RequestSchema];
