import { describe, expect, it } from 'vitest';
import { pathSubjects } from './refusal-audit.js';

describe('pathSubjects', () => {
  it('names each object of a route by the collection its id follows', () => {
    expect(pathSubjects('/users/:id/tokens/:tokenId', { id: 'usr_1', tokenId: 'tok_2' })).toEqual([
      { type: 'user', id: 'usr_1' },
      { type: 'token', id: 'tok_2' },
    ]);
    expect(pathSubjects('/groups/:id/assets/:assetId', { id: 'grp_1', assetId: 'ast_2' })).toEqual([
      { type: 'group', id: 'grp_1' },
      { type: 'asset', id: 'ast_2' },
    ]);
    expect(pathSubjects('/break-glass/activations/:id/review', { id: 'bga_1' })).toEqual([
      { type: 'break_glass_activation', id: 'bga_1' },
    ]);
    expect(pathSubjects('/on-call-schedules/:id/sync', { id: 'ocs_1' })).toEqual([
      { type: 'on_call_schedule', id: 'ocs_1' },
    ]);
  });

  it('names nothing for a route without ids', () => {
    expect(pathSubjects('/requests', {})).toEqual([]);
    expect(pathSubjects('/groups', undefined)).toEqual([]);
  });
});
