import { Type } from 'typebox';
import { Id, Pagination, Timestamp } from './common.js';

// Schemas of the catalog: every item, with the caller's access and the actions open to them.

const Access = {
  hasAccess: Type.Boolean(),
  accessExpiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'When the access ends if nothing changes; null with access means no end',
  }),
};

export const CatalogEntrySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('group'), Type.Literal('resource')]),
    id: Id,
    name: Type.String(),
    description: Type.String(),
    ...Access,
    accessLevels: Type.Optional(
      Type.Array(Type.Object({ accessLevel: Type.String(), ...Access }), {
        description: "Resources only: the caller's access at each level",
      }),
    ),
    actions: Type.Object({
      request: Type.Boolean({ description: 'The configuration that applies to the caller is requestable' }),
      breakGlass: Type.Boolean({ description: 'The caller is a break-glass user of the group' }),
    }),
    waiting: Type.Array(
      Type.Object({
        requestId: Id,
        accessLevel: Type.Union([Type.String(), Type.Null()], {
          description: 'Resources: the level asked for',
        }),
        requestedAt: Timestamp,
        reviewerIds: Type.Array(Id, {
          description: "The current stage's reviewers who have not approved yet: whom the request waits for",
        }),
      }),
      { description: "The caller's own requests for this item still waiting for a decision" },
    ),
    breakGlassActivation: Type.Union([Type.Object({ id: Id, expiresAt: Timestamp }), Type.Null()], {
      description: "Groups: the caller's break-glass activation here while it is active",
    }),
    requestTerms: Type.Union([
      Type.Object({
        autoApprove: Type.Boolean(),
        maxDurationMinutes: Type.Union([Type.Integer(), Type.Null()]),
        recommendedDurationMinutes: Type.Union([Type.Integer(), Type.Null()]),
        requireReason: Type.Boolean(),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'CatalogEntry' },
);

export const CatalogQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name, any case' })),
  ...Pagination,
});

export const catalogSchemas = [CatalogEntrySchema];
