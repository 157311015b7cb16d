import { describe, expect, it } from 'vitest';
import { SCIM_ERROR_SCHEMA, ScimError, scimErrorBody } from './errors.js';

describe('scimErrorBody', () => {
  it('renders the RFC 7644 §3.12 body with the status as a string', () => {
    const err = new ScimError(400, 'bad filter', 'invalidFilter');
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('bad filter');
    expect(scimErrorBody(err)).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'bad filter',
    });
  });

  it('omits scimType when there is none', () => {
    expect(scimErrorBody(new ScimError(404, 'no such user'))).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '404',
      detail: 'no such user',
    });
  });
});
