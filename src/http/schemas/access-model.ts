import { Type } from 'typebox';
import { GROUP_ABILITIES, RESOURCE_ABILITIES } from '../../ops/items/queries.js';
import { Description, Id, Name, NullableTimestamp, Timestamp, UserRef } from './common.js';

// Schemas of the access model: groups, resources, grants, assets and access answers.

const NullableId = Type.Union([Id, Type.Null()]);
export const AccessLevel = Type.String({ minLength: 1, maxLength: 64 });
export const OwnerUserIds = Type.Array(UserRef, { maxItems: 100 });

const flags = <K extends string>(keys: readonly K[], description: string) =>
  Type.Object(
    Object.fromEntries(keys.map((k) => [k, Type.Boolean()])) as Record<K, ReturnType<typeof Type.Boolean>>,
    {
      description,
    },
  );

const ABILITIES_NOTE =
  'from the authorization policy. `nest`: the caller may add a nesting edge between two items exactly when ' +
  'both answer true';
export const GroupAbilities = flags(
  [...GROUP_ABILITIES, 'nest'],
  `What the caller may do to this group now, ${ABILITIES_NOTE}`,
);
export const ResourceAbilities = flags(
  [...RESOURCE_ABILITIES, 'nest'],
  `What the caller may do to this resource now, ${ABILITIES_NOTE}`,
);

export const RemoteLinkSchema = Type.Union(
  [
    Type.Object({
      connectionId: Id,
      remoteId: Type.String(),
      remoteName: Type.String(),
      accessLevel: Type.Optional(
        Type.String({ description: 'Resources: the level whose holders are members there' }),
      ),
    }),
    Type.Null(),
  ],
  { description: 'The remote item in a connected system whose members are this item’s effective members' },
);

/** What PATCH sets to link an item (admins); null unlinks it and takes out every account Latch put there. */
export const RemoteLinkInput = Type.Union([
  Type.Object(
    {
      connectionId: Id,
      remoteId: Type.String({ minLength: 1, maxLength: 1024 }),
      accessLevel: Type.Optional(AccessLevel),
      adoptMembers: Type.Optional(
        Type.Boolean({
          description:
            "On a new link: the remote item's current members that map to Latch users become standing direct " +
            'grants of this item (default false: they are drift, reported or taken out as the connection says)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const GroupSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: Type.String(),
    ownerUserIds: Type.Array(Id),
    ownerGroupId: NullableId,
    createdAt: Timestamp,
    source: Type.Union([Type.Literal('local'), Type.Literal('scim')], {
      description: 'scim: pushed by the identity provider, which alone changes its memberships',
    }),
    externalId: Type.Union([Type.String(), Type.Null()], {
      description: "The identity provider's id for the group; null for local groups",
    }),
    remote: RemoteLinkSchema,
    abilities: GroupAbilities,
  },
  { $id: 'Group' },
);

export const ResourceSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    type: Type.String(),
    description: Type.String(),
    accessLevels: Type.Array(Type.String()),
    ownerUserIds: Type.Array(Id),
    ownerGroupId: NullableId,
    createdAt: Timestamp,
    remote: RemoteLinkSchema,
    abilities: ResourceAbilities,
  },
  { $id: 'Resource' },
);

export const GrantSource = Type.Union([
  Type.Literal('direct'),
  Type.Literal('request'),
  Type.Literal('break_glass'),
  Type.Literal('on_call'),
  Type.Literal('idp', { description: "A membership of a SCIM group, the identity provider's to change" }),
]);
export const GrantStatus = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);

export const GrantSchema = Type.Object(
  {
    id: Id,
    userId: Id,
    groupId: NullableId,
    resourceId: NullableId,
    accessLevel: Type.Union([Type.String(), Type.Null()]),
    source: GrantSource,
    reason: Type.Union([Type.String(), Type.Null()]),
    requestId: NullableId,
    createdBy: NullableId,
    createdAt: Timestamp,
    startsAt: Timestamp,
    expiresAt: NullableTimestamp,
    endedAt: NullableTimestamp,
    endedBy: NullableId,
    endReason: Type.Union([Type.String(), Type.Null()]),
    status: GrantStatus,
  },
  { $id: 'Grant' },
);

export const AssetSchema = Type.Object(
  {
    id: Id,
    groupId: Id,
    assetGroupId: NullableId,
    assetResourceId: NullableId,
    accessLevel: Type.Union([Type.String(), Type.Null()]),
    expiresAt: NullableTimestamp,
    createdAt: Timestamp,
    abilities: Type.Object(
      { remove: Type.Boolean() },
      { description: 'Whether the caller may remove this edge: admins, or owners of both its ends' },
    ),
  },
  { $id: 'Asset' },
);

export const PathSchema = Type.Object(
  { grantId: Id, source: GrantSource, groupIds: Type.Array(Id), expiresAt: NullableTimestamp },
  {
    $id: 'AccessPath',
    description: "One path: the user's grant on groupIds[0], then asset edges through the following groups",
  },
);

export const PropagationSchema = Type.Object(
  {
    status: Type.Union([
      Type.Literal('synced'),
      Type.Literal('pending'),
      Type.Literal('failed'),
      Type.Literal('no_account'),
      Type.Literal('not_linked'),
    ]),
    at: NullableTimestamp,
    detail: Type.Union([Type.String(), Type.Null()], {
      description: "Why it failed or has no account; a target's own words for admins only",
    }),
  },
  {
    description:
      'Where this access stands in the item’s connected system: synced (the target matches), pending (Latch is applying it), failed, no_account (the user has no account there), not_linked',
  },
);

export const CheckResultSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    expiresAt: NullableTimestamp,
    via: Type.Array(Type.Ref('AccessPath')),
    propagation: PropagationSchema,
    error: Type.Optional(
      Type.Object(
        { code: Type.String(), detail: Type.String() },
        {
          description:
            'Batches only: why this question has no answer (not_found: a user, group, resource or access level it names does not exist); allowed is then false',
        },
      ),
    ),
  },
  { $id: 'CheckResult' },
);

export const GrantWindowFields = {
  durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 * 365 * 24 * 60 })),
  expiresAt: Type.Optional(Timestamp),
  startsAt: Type.Optional(Timestamp),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
};

export const ItemFields = {
  name: Name,
  description: Type.Optional(Description),
  ownerUserIds: Type.Optional(OwnerUserIds),
  ownerGroupId: Type.Optional(NullableId),
};

export const accessModelSchemas = [
  GroupSchema,
  ResourceSchema,
  GrantSchema,
  AssetSchema,
  PathSchema,
  CheckResultSchema,
];
