import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { requestConfigurations } from '../../ops/requests/queries.js';
import { updateRequestConfigurations } from '../../ops/requests/update-configurations.js';
import { ConfigurationList, ConfigurationsBody } from '../schemas/requests.js';
import { errorResponses, IdParams } from '../schemas/common.js';

// Request configurations of groups and resources. Readable by every signed-in user (the durations and the
// need for a reason are shown before asking); replaced by admins and the item's owners.
export function requestConfigurationRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['requests'];

  for (const kind of ['group', 'resource'] as const) {
    const path = `/${kind}s/:id/request-configurations`;

    app.get(
      path,
      {
        schema: {
          tags,
          summary: `The ${kind}'s request configurations, in ascending priority (empty: not requestable)`,
          params: IdParams,
          response: { 200: ConfigurationList, ...errorResponses(401, 404) },
        },
      },
      async (request) =>
        requestConfigurations(
          deps,
          kind === 'group' ? { groupId: request.params.id } : { resourceId: request.params.id },
        ),
    );

    app.put(
      path,
      {
        schema: {
          tags,
          summary:
            `Replace the ${kind}'s request configurations (admins and owners). The body is the list itself; ` +
            'exactly one entry has condition null (the default), and an empty list makes the item not requestable',
          params: IdParams,
          body: ConfigurationsBody,
          response: { 200: ConfigurationList, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        updateRequestConfigurations(
          deps,
          request.user,
          kind === 'group' ? { groupId: request.params.id } : { resourceId: request.params.id },
          request.body,
        ),
    );
  }
}
