import { Type } from 'typebox';
import { Id, Name, NullableTimestamp, Timestamp, UserRef } from './common.js';

// Schemas of connected systems. Secrets go in, never out; each kind's settings are checked by its connector,
// which names the field at fault.

const Kind = Type.Union([Type.Literal('postgres'), Type.Literal('ldap'), Type.Literal('scim')]);
const Mode = Type.Union([Type.Literal('report'), Type.Literal('enforce')], {
  description: 'report: members Latch does not explain are listed as drift; enforce: they are taken out',
});
const AccountRule = Type.Object(
  {
    type: Type.Union([Type.Literal('email'), Type.Literal('emailLocalPart'), Type.Literal('template')]),
    template: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'With type template: {email}, {localPart} and {domain}, such as {localPart}_admin',
      }),
    ),
  },
  { additionalProperties: false },
);
const Config = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 20,
  description:
    'postgres: {host, port, database, user, sslmode?, terminateSessions?}; ldap: {url, bindDn, userBaseDn, ' +
    'userFilter?, groupBaseDn, startTls?}; scim: {baseUrl, createUsers?}',
});
const Secrets = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }), {
  maxProperties: 5,
  description:
    'postgres: {password}; ldap: {bindPassword}; scim: {bearerToken}. Stored encrypted, never returned',
});
const SyncMinutes = Type.Integer({
  minimum: 1,
  maximum: 10080,
  description: 'How often to reconcile; omitted: 60',
});

export const ConnectionSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    kind: Kind,
    config: Type.Record(Type.String(), Type.Unknown()),
    mode: Mode,
    syncMinutes: Type.Integer(),
    accountRule: AccountRule,
    status: Type.Union([Type.Literal('pending'), Type.Literal('ok'), Type.Literal('error')]),
    lastSyncAt: NullableTimestamp,
    lastError: Type.Union([Type.String(), Type.Null()], {
      description: "The target's words for admins; others see that the last sync failed",
    }),
    createdAt: Timestamp,
  },
  { $id: 'Connection' },
);

export const CreateConnectionBody = Type.Object(
  {
    name: Name,
    kind: Kind,
    config: Config,
    secrets: Secrets,
    mode: Mode,
    syncMinutes: Type.Optional(SyncMinutes),
    accountRule: Type.Optional(AccountRule),
  },
  { additionalProperties: false },
);

export const UpdateConnectionBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    config: Type.Optional(Config),
    secrets: Type.Optional(Secrets),
    mode: Type.Optional(Mode),
    syncMinutes: Type.Optional(SyncMinutes),
    accountRule: Type.Optional(AccountRule),
  },
  { additionalProperties: false },
);

export const TestResultSchema = Type.Object({ ok: Type.Boolean(), detail: Type.String() });

export const RemoteItemsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      remoteId: Type.String(),
      name: Type.String(),
      kind: Type.String({ description: 'role, groupOfNames, groupOfUniqueNames, posixGroup or group' }),
      linkedItemId: Type.Union([Id, Type.Null()]),
    }),
  ),
});

export const ImportBody = Type.Object(
  {
    remoteIds: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 1, maxItems: 100 }),
    adoptMembers: Type.Boolean({
      description: 'true: current members become standing direct grants; false: they are drift',
    }),
  },
  { additionalProperties: false },
);

export const AccountParams = Type.Object({ id: Id, userId: UserRef });
export const AccountBody = Type.Object(
  { remoteAccount: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
export const AccountSchema = Type.Object({ connectionId: Id, userId: Id, remoteAccount: Type.String() });

export const DriftSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      remoteId: Type.String(),
      remoteAccount: Type.String(),
      userId: Type.Union([Id, Type.Null()]),
      detectedAt: Timestamp,
    }),
  ),
});
