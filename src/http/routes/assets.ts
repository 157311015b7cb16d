import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { addAsset } from '../../ops/items/add-asset.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { removeAsset } from '../../ops/items/remove-asset.js';
import { assetView, groupContents, listAssets } from '../../ops/items/queries.js';
import { AccessLevel, AssetSchema } from '../schemas/access-model.js';
import { errorResponses, Id, IdParams, Timestamp } from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

const AddAssetBody = Type.Union([
  Type.Object({ groupId: Id, expiresAt: Type.Optional(Timestamp) }, { additionalProperties: false }),
  Type.Object(
    { resourceId: Id, accessLevel: AccessLevel, expiresAt: Type.Optional(Timestamp) },
    { additionalProperties: false },
  ),
]);

export function assetRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['nesting'];

  app.post(
    '/groups/:id/assets',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary:
          'Nest a group, or a resource at an access level, under this group; its members reach the asset (409 nesting_cycle if the group would reach itself)',
        params: IdParams,
        body: AddAssetBody,
        response: { 201: AssetSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const asset = await addAsset(idempotent(deps, request), request.user, request.params.id, request.body);
      return reply.code(201).send(await assetView(deps, request.user, asset));
    },
  );

  app.get(
    '/groups/:id/assets',
    {
      schema: {
        tags,
        summary: "The group's assets",
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(AssetSchema), nextCursor: Type.Null() }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => ({ items: await listAssets(deps, request.user, request.params.id), nextCursor: null }),
  );

  app.get(
    '/groups/:id/contents',
    {
      schema: {
        tags,
        summary: 'Everything a member of the group reaches now, through its assets and theirs',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                groupId: Type.Union([Id, Type.Null()]),
                resourceId: Type.Union([Id, Type.Null()]),
                accessLevel: Type.Union([Type.String(), Type.Null()]),
                via: Type.Array(Id, {
                  description: 'The groups from this one down to the one holding the item as an asset',
                }),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => ({ items: await groupContents(deps, request.user, request.params.id) }),
  );

  app.delete(
    '/groups/:id/assets/:assetId',
    {
      schema: {
        tags,
        summary: 'Remove one asset edge',
        params: Type.Object({ id: Id, assetId: Id }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeAsset(deps, request.user, request.params.id, request.params.assetId);
      return reply.code(204).send(null);
    },
  );
}
