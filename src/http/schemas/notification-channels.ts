import { Type } from 'typebox';
import { Email, Id, Name, NullableTimestamp, Timestamp } from './common.js';

// Schemas of notification channels and of the channels a group's notices go to. Secrets go in, never out.

const Secret = Type.String({ minLength: 16, maxLength: 500 });
const ChannelType = Type.Union([Type.Literal('email'), Type.Literal('slack'), Type.Literal('webhook')]);
const EventKinds = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 100,
  description:
    "Notice kinds this channel carries, such as 'break_glass.activated'; omitted, null or ['*']: all",
});

const EmailConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Omitted: 587' })),
    secure: Type.Optional(Type.Boolean({ description: 'TLS from the start; omitted: only on port 465' })),
    username: Type.Optional(Type.String({ maxLength: 255 })),
    password: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Secret: never returned; sent only over TLS (STARTTLS is required when username is set)',
      }),
    ),
    from: Email,
    to: Type.Optional(
      Type.Array(Email, {
        maxItems: 50,
        description: "Addresses for a group's notices when a group picks this channel",
      }),
    ),
  },
  { additionalProperties: false, title: 'E-mail (SMTP)' },
);
const SlackConfig = Type.Object(
  {
    webhookUrl: Type.String({
      minLength: 8,
      maxLength: 2000,
      format: 'uri',
      description: 'Slack incoming-webhook URL. Secret: shown as webhookUrlHost only',
    }),
  },
  { additionalProperties: false, title: 'Slack' },
);
const WebhookConfig = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2000,
      format: 'uri',
      description:
        'Where to POST; a user name and password in it are sent as Basic credentials. Secret: shown as urlHost and urlPath only',
    }),
    secrets: Type.Array(Secret, {
      minItems: 1,
      maxItems: 2,
      description:
        'Signing secrets (two while rotating): X-Latch-Signature carries one v1= per secret. Never returned',
    }),
  },
  { additionalProperties: false, title: 'Webhook' },
);

export const ChannelSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    type: ChannelType,
    config: Type.Record(Type.String(), Type.Unknown(), {
      description:
        "The configuration without its secrets (stored encrypted): a secret URL appears as its host (urlHost, webhookUrlHost) and a webhook's as its path too (urlPath), without user name, password or query",
    }),
    secretsSet: Type.Array(Type.String(), { description: 'Which secret fields are set' }),
    enabled: Type.Boolean(),
    events: Type.Union([Type.Array(Type.String()), Type.Null()]),
    allEvents: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    stream: Type.Optional(
      Type.Union([
        Type.Object({
          lastSeq: Type.Integer(),
          attempts: Type.Integer(),
          nextAttemptAt: Timestamp,
          lastError: Type.Union([Type.String(), Type.Null()]),
          lastDeliveredAt: NullableTimestamp,
        }),
        Type.Null(),
      ]),
    ),
  },
  { $id: 'NotificationChannel' },
);

export const CreateChannelBody = Type.Object(
  {
    name: Name,
    type: ChannelType,
    config: Type.Union([EmailConfig, SlackConfig, WebhookConfig]),
    enabled: Type.Optional(Type.Boolean()),
    events: Type.Optional(Type.Union([EventKinds, Type.Null()])),
    allEvents: Type.Optional(
      Type.Boolean({
        description: 'Webhooks only: stream every audit event, in order, from now on (a SIEM)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ConfigValue = Type.Union([
  Type.String({ maxLength: 2000 }),
  Type.Integer(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 }),
]);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    config: Type.Optional(
      Type.Record(Type.String({ maxLength: 50 }), ConfigValue, {
        maxProperties: 10,
        description:
          'Merged into the stored configuration: fields left out (secrets too) keep their value; null removes one',
      }),
    ),
    enabled: Type.Optional(Type.Boolean()),
    events: Type.Optional(Type.Union([EventKinds, Type.Null()])),
    allEvents: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ChannelTestResultSchema = Type.Object({
  delivered: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const GroupChannelsSchema = Type.Object({ channelIds: Type.Array(Id) });
export const GroupChannelsBody = Type.Object(
  { channelIds: Type.Array(Id, { maxItems: 50 }) },
  { additionalProperties: false },
);
