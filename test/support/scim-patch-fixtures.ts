import { expect } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA_ID,
  GROUP_SCHEMA_ID,
  USER_SCHEMA_ID,
} from '../../src/domain/scim/attributes.js';
import type { ScimErrorType } from '../../src/domain/scim/errors.js';
import { applyPatch, PATCH_OP_SCHEMA, parsePatchRequest } from '../../src/domain/scim/patch.js';
import { scimError } from './scim-errors.js';

// Resources and calls the SCIM PATCH tests share: a user and a group as served, and a PATCH applied to them.

export const ENT = ENTERPRISE_USER_SCHEMA_ID;

export function makeUser(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA_ID, ENT],
    id: 'usr_1',
    externalId: '00u1',
    userName: 'a@x.test',
    name: { givenName: 'A', familyName: 'B', formatted: 'A B' },
    displayName: 'A B',
    emails: [
      { value: 'a@x.test', type: 'work', primary: true },
      { value: 'a@home.test', type: 'home' },
    ],
    active: true,
    [ENT]: { department: 'Ops', manager: { value: 'usr_9', displayName: 'Boss' } },
    meta: {
      resourceType: 'User',
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-02T00:00:00Z',
      location: 'https://latch.example/scim/v2/Users/usr_1',
    },
  };
}

export function makeGroup(members = ['usr_1', 'usr_2']): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA_ID],
    id: 'grp_1',
    displayName: 'Ops',
    members: members.map((id) => ({ value: id, display: id.toUpperCase() })),
    meta: { resourceType: 'Group', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-02T00:00:00Z' },
  };
}

export const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
export const patchUser = (...ops: unknown[]) =>
  applyPatch(makeUser(), parsePatchRequest(body(...ops)), 'User');
export const patchGroup = (group: Record<string, unknown>, ...ops: unknown[]) =>
  applyPatch(group, parsePatchRequest(body(...ops)), 'Group');

export const fails = (scimType: ScimErrorType, fn: () => unknown) => {
  const err = scimError(fn);
  expect([err.status, err.scimType]).toEqual([400, scimType]);
  return err;
};
