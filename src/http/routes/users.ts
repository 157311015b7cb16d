import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createUser } from '../../ops/identity/create-user.js';
import { getUser, listUsers, meView } from '../../ops/identity/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { updateUser } from '../../ops/identity/update-user.js';
import {
  decodeCursor,
  Email,
  errorResponses,
  Id,
  Name,
  Page,
  pageOf,
  Pagination,
  Timestamp,
  UserParams,
} from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

export const UserSchema = Type.Object(
  {
    id: Id,
    email: Type.String(),
    name: Type.String(),
    role: Type.Union([Type.Literal('admin'), Type.Literal('auditor'), Type.Literal('member')]),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
    createdAt: Timestamp,
    source: Type.Union([Type.Literal('local'), Type.Literal('oidc'), Type.Literal('scim')], {
      description:
        'local: created in Latch; oidc: created by a first sign-in through the identity provider; ' +
        'scim: pushed by the identity provider',
    }),
    externalId: Type.Union([Type.String(), Type.Null()], {
      description: "The identity provider's id for the user (SCIM externalId); null for local users",
    }),
    deprovisionedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'When the identity provider deprovisioned the user: suspended for good, kept for history',
    }),
  },
  { $id: 'User' },
);
const ability = (description: string) => Type.Boolean({ description });
export const MeSchema = Type.Object(
  {
    ...UserSchema.properties,
    abilities: Type.Object(
      {
        createItems: ability('Create groups and resources'),
        manageAllItems: ability('Manage every group and resource, not only those the user owns'),
        listUsers: ability('List and search the user directory'),
        createUsers: ability('Create users'),
        manageUsers: ability("Change users' names, roles and status"),
        manageSchedules: ability('Create, change and delete on-call schedules'),
        syncSchedules: ability('Sync on-call schedules from their provider now'),
        manageChannels: ability('Create, change, test and delete notification channels'),
        readAuditLog: ability('Read the whole audit log (others read the events about them and their items)'),
        verifyAuditLog: ability("Verify the audit log's chain"),
        takeBackups: ability('Take backups'),
        manageScimTokens: ability("Mint and revoke the identity provider's SCIM tokens"),
        viewConnections: ability('See connected systems, their status and drift'),
        manageConnections: ability('Configure connected systems and link items to them'),
        createAccessReviews: ability('Start access review campaigns, read all their rows and close them'),
      },
      { description: 'What the caller may do beyond single items now, from the authorization policy' },
    ),
  },
  { $id: 'Me', description: 'The signed-in user and what they may do' },
);
/** A user as the directory list shows them: whole to admins and auditors, a card (id, name, e-mail) to others. */
const UserListEntry = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Type.Optional({ ...UserSchema.properties.role, description: 'Admins and auditors only' }),
  status: Type.Optional({ ...UserSchema.properties.status, description: 'Admins and auditors only' }),
  createdAt: Type.Optional({ ...Timestamp, description: 'Admins and auditors only' }),
});
const Role = Type.Union([Type.Literal('admin'), Type.Literal('auditor'), Type.Literal('member')]);
const Status = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);

export function userRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'The calling user, with what they may do',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => meView(request.user),
  );

  app.post(
    '/users',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Create a user (admins)',
        body: Type.Object(
          { email: Email, name: Name, role: Type.Optional(Role) },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createUser(idempotent(deps, request), request.user, request.body)),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (admins and auditors), or search them by name or e-mail (owners and reviewers)',
        description:
          'Admins and auditors list every account. Owners of a group or resource, and reviewers of a pending ' +
          'request, search active people by part of a name or e-mail (query of at least 2 characters) and see ' +
          'their id, name and e-mail only, to pick members, break-glass users and reviewers.',
        querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 200 })), ...Pagination }),
        response: { 200: Page(UserListEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listUsers(deps, request.user, {
        query: request.query.query,
        afterId: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (u) => u.id);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary:
          'One user, by id or e-mail (anyone signed in: the directory card behind names in requests and lists)',
        params: UserParams,
        response: { 200: UserSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getUser(deps, request.user, request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user (admins)',
        params: UserParams,
        body: Type.Object(
          { name: Type.Optional(Name), role: Type.Optional(Role), status: Type.Optional(Status) },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateUser(deps, request.user, request.params.id, request.body),
  );
}
