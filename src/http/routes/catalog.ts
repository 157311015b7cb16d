import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { listCatalog } from '../../ops/items/catalog.js';
import { CatalogQuery } from '../schemas/catalog.js';
import { errorResponses, Page } from '../schemas/common.js';

// The catalog: what there is to ask for. Every signed-in user sees every live group and resource.
export function catalogRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/catalog',
    {
      schema: {
        tags: ['catalog'],
        summary:
          'Every group and resource by name, with your access now and the actions open to you (request, break-glass)',
        querystring: CatalogQuery,
        response: { 200: Page(Type.Ref('CatalogEntry')), ...errorResponses(400, 401) },
      },
    },
    async (request) =>
      listCatalog(deps, request.user, {
        query: request.query.query,
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      }),
  );
}
