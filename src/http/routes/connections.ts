import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createConnection } from '../../ops/connections/create-connection.js';
import { deleteConnection } from '../../ops/connections/delete-connection.js';
import { importRemoteItems } from '../../ops/connections/import-remote-items.js';
import { driftOf, getConnection, listConnections, remoteItems } from '../../ops/connections/queries.js';
import { requestSync } from '../../ops/connections/request-sync.js';
import { setAccount } from '../../ops/connections/set-account.js';
import { testConnection } from '../../ops/connections/test-connection.js';
import { updateConnection } from '../../ops/connections/update-connection.js';
import { groupView } from '../../ops/items/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { GroupSchema } from '../schemas/access-model.js';
import { errorResponses, IdParams } from '../schemas/common.js';
import {
  AccountBody,
  AccountParams,
  AccountSchema,
  ConnectionSchema,
  CreateConnectionBody,
  DriftSchema,
  ImportBody,
  RemoteItemsSchema,
  TestResultSchema,
  UpdateConnectionBody,
} from '../schemas/connections.js';

// Connected systems (admins configure them; auditors read them): PostgreSQL clusters, LDAP directories and SCIM
// service providers whose roles and groups Latch keeps in step with access.
export function connectionRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['connections'];
  const ref = { $ref: 'Connection#' };

  app.post(
    '/connections',
    {
      schema: {
        tags,
        summary: 'Connect a PostgreSQL cluster, an LDAP directory or a SCIM service provider (admins)',
        body: CreateConnectionBody,
        response: { 201: ref, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createConnection(deps, request.user, request.body)),
  );

  app.get(
    '/connections',
    {
      schema: {
        tags,
        summary: 'Connected systems, with their status (admins and auditors)',
        response: {
          200: Type.Object({ items: Type.Array(ConnectionSchema), nextCursor: Type.Null() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listConnections(deps, request.user), nextCursor: null }),
  );

  app.get(
    '/connections/:id',
    {
      schema: {
        tags,
        summary: 'One connected system',
        params: IdParams,
        response: { 200: ref, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getConnection(deps, request.user, request.params.id),
  );

  app.patch(
    '/connections/:id',
    {
      schema: {
        tags,
        summary: 'Change a connection (admins); secrets left out keep their value',
        params: IdParams,
        body: UpdateConnectionBody,
        response: { 200: ref, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateConnection(deps, request.user, request.params.id, request.body),
  );

  app.delete(
    '/connections/:id',
    {
      schema: {
        tags,
        summary: 'Remove a connection without linked items (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteConnection(deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/connections/:id/test',
    {
      schema: {
        tags,
        summary: 'Connect and check the privileges Latch needs (admins); ok false says why',
        params: IdParams,
        response: { 200: TestResultSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => testConnection(deps, request.user, request.params.id),
  );

  app.post(
    '/connections/:id/sync',
    {
      schema: {
        tags,
        summary: 'Reconcile now: read the target, put back what is missing, handle drift (admins)',
        params: IdParams,
        response: { 202: ref, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await requestSync(deps, request.user, request.params.id);
      return reply.code(202).send(await getConnection(deps, request.user, request.params.id));
    },
  );

  app.get(
    '/connections/:id/remote-items',
    {
      schema: {
        tags,
        summary: 'The roles or groups in the target that access can be linked to (admins)',
        params: IdParams,
        response: { 200: RemoteItemsSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await remoteItems(deps, request.user, request.params.id) }),
  );

  app.post(
    '/connections/:id/import',
    {
      schema: {
        tags,
        summary:
          'Create a group linked to each remote item, adopting its members or treating them as drift (admins)',
        params: IdParams,
        body: ImportBody,
        response: {
          201: Type.Object({ items: Type.Array(GroupSchema) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const groups = await importRemoteItems(deps, request.user, request.params.id, request.body);
      return reply.code(201).send({ items: groups.map((g) => groupView(deps, request.user, g)) });
    },
  );

  app.put(
    '/connections/:id/accounts/:userId',
    {
      schema: {
        tags,
        summary: "Name a user's account in the target, overriding the account rule (admins)",
        params: AccountParams,
        body: AccountBody,
        response: { 200: AccountSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setAccount(deps, request.user, request.params.id, request.params.userId, request.body),
  );

  app.get(
    '/connections/:id/drift',
    {
      schema: {
        tags,
        summary: 'Members of linked remote items that Latch does not explain (admins and auditors)',
        params: IdParams,
        response: { 200: DriftSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await driftOf(deps, request.user, request.params.id) }),
  );
}
