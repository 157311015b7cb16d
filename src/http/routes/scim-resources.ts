import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIST_RESPONSE_SCHEMA } from '../../domain/scim/service-provider.js';
import type { ScimCaller } from '../../ops/scim/authenticate.js';
import { createScimGroup } from '../../ops/scim/create-group.js';
import { createScimUser } from '../../ops/scim/create-user.js';
import { deleteScimGroup } from '../../ops/scim/delete-group.js';
import { deprovisionScimUser } from '../../ops/scim/delete-user.js';
import {
  getScimGroup,
  getScimUser,
  listScimGroups,
  listScimUsers,
  type ListPage,
  type ListQuery,
  type ScimLocations,
} from '../../ops/scim/queries.js';
import { patchScimGroup, replaceScimGroup } from '../../ops/scim/replace-group.js';
import { patchScimUser, replaceScimUser } from '../../ops/scim/replace-user.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { sendScim } from '../plugins/scim-context.js';
import { readListQuery, readProjection, scimBase } from './scim-query.js';

// /scim/v2/Users and /scim/v2/Groups (RFC 7644 §3): thin routes over the SCIM operations, the same six for
// each resource type. Writes answer the resource as it now is (201 for a create, 200 for PUT and PATCH);
// DELETE answers 204.

type Projection = Pick<ListQuery, 'attributes' | 'excludedAttributes'>;
type Write = (deps: OpsDeps, caller: ScimCaller, id: string, body: unknown) => Promise<unknown>;

interface ResourceOps {
  list: (deps: OpsDeps, q: ListQuery, at: ScimLocations) => Promise<ListPage>;
  get: (deps: OpsDeps, id: string, q: Projection, at: ScimLocations) => Promise<unknown>;
  /** Creates and answers the new resource's id. */
  create: (deps: OpsDeps, caller: ScimCaller, body: unknown) => Promise<string>;
  replace: Write;
  patch: Write;
  remove: (deps: OpsDeps, caller: ScimCaller, id: string) => Promise<void>;
  location: keyof ScimLocations;
  /** Groups are written whole: 100,000 members take about 6 MB. Users keep the API's usual limit. */
  bodyLimit?: number;
}

const USERS: ResourceOps = {
  list: listScimUsers,
  get: getScimUser,
  create: async (deps, caller, body) => (await createScimUser(deps, caller, body)).user.id,
  replace: replaceScimUser,
  patch: patchScimUser,
  remove: deprovisionScimUser,
  location: 'user',
};

const GROUPS: ResourceOps = {
  list: listScimGroups,
  get: getScimGroup,
  create: createScimGroup,
  replace: replaceScimGroup,
  patch: patchScimGroup,
  remove: deleteScimGroup,
  location: 'group',
  bodyLimit: 16 * 1024 * 1024,
};

type IdParams = { Params: { id: string } };

export function scimResourceRoutes(app: FastifyInstance, deps: OpsDeps, publicUrl: URL | undefined) {
  const at = (request: FastifyRequest): ScimLocations => {
    const base = scimBase(request, publicUrl);
    return { user: (id) => `${base}/Users/${id}`, group: (id) => `${base}/Groups/${id}` };
  };

  const resource = (path: string, ops: ResourceOps) => {
    const read = { schema: { hide: true } } as const;
    const write = { ...read, ...(ops.bodyLimit ? { bodyLimit: ops.bodyLimit } : {}) };
    const current = async (request: FastifyRequest, id: string) =>
      ops.get(deps, id, readProjection(request), at(request));

    app.get(path, read, async (request, reply) =>
      sendScim(reply, 200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        ...(await ops.list(deps, readListQuery(request), at(request))),
      }),
    );
    app.post(path, write, async (request, reply) => {
      const id = await ops.create(deps, request.scimCaller, request.body);
      reply.header('location', at(request)[ops.location](id));
      return sendScim(reply, 201, await current(request, id));
    });
    app.get<IdParams>(`${path}/:id`, read, async (request, reply) =>
      sendScim(reply, 200, await current(request, request.params.id)),
    );
    for (const [method, change] of [
      ['PUT', ops.replace],
      ['PATCH', ops.patch],
    ] as const)
      app.route<IdParams>({
        method,
        url: `${path}/:id`,
        ...write,
        handler: async (request, reply) => {
          await change(deps, request.scimCaller, request.params.id, request.body);
          return sendScim(reply, 200, await current(request, request.params.id));
        },
      });
    app.delete<IdParams>(`${path}/:id`, read, async (request, reply) => {
      await ops.remove(deps, request.scimCaller, request.params.id);
      return reply.code(204).send();
    });
  };

  resource('/Users', USERS);
  resource('/Groups', GROUPS);
}
