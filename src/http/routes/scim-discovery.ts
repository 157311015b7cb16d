import type { FastifyInstance } from 'fastify';
import { ScimError } from '../../domain/scim/errors.js';
import {
  LIST_RESPONSE_SCHEMA,
  resourceTypes,
  schemaResources,
  serviceProviderConfig,
} from '../../domain/scim/service-provider.js';
import { sendScim } from '../plugins/scim-context.js';
import { scimBase } from './scim-query.js';

// The read-only discovery endpoints (RFC 7644 §4). Any other method on them is 405, answered before the body is
// read, so a malformed body is never what a client is told about.

const list = (items: unknown[]) => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: items.length,
  startIndex: 1,
  itemsPerPage: items.length,
  Resources: items,
});

export function scimDiscoveryRoutes(app: FastifyInstance, publicUrl: URL | undefined) {
  const readOnly = (url: string) =>
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      schema: { hide: true },
      onRequest: async (request) => {
        throw new ScimError(405, `${url} is read-only (${request.method} is not allowed)`);
      },
      handler: async () => undefined,
    });

  app.get('/ServiceProviderConfig', { schema: { hide: true } }, async (request, reply) =>
    sendScim(reply, 200, serviceProviderConfig(scimBase(request, publicUrl))),
  );
  app.get('/ResourceTypes', { schema: { hide: true } }, async (request, reply) =>
    sendScim(reply, 200, list(resourceTypes(scimBase(request, publicUrl)))),
  );
  app.get<{ Params: { name: string } }>(
    '/ResourceTypes/:name',
    { schema: { hide: true } },
    async (request, reply) => {
      const found = resourceTypes(scimBase(request, publicUrl)).find((r) => r.id === request.params.name);
      if (!found) throw new ScimError(404, `no resource type ${request.params.name}`);
      return sendScim(reply, 200, found);
    },
  );
  app.get('/Schemas', { schema: { hide: true } }, async (request, reply) =>
    sendScim(reply, 200, list(schemaResources(scimBase(request, publicUrl)))),
  );
  app.get<{ Params: { id: string } }>('/Schemas/:id', { schema: { hide: true } }, async (request, reply) => {
    const found = schemaResources(scimBase(request, publicUrl)).find((s) => s.id === request.params.id);
    if (!found) throw new ScimError(404, `no schema ${request.params.id}`);
    return sendScim(reply, 200, found);
  });
  for (const url of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) readOnly(url);
}
