import { describe, expect, it } from 'vitest';
import { body, ENT, fails } from '../../../test/support/scim-patch-fixtures.js';
import { parsePatchPath, parsePatchRequest, PATCH_OP_SCHEMA } from './patch.js';
import { USER_SCHEMA_ID } from './attributes.js';

describe('parsePatchRequest', () => {
  it('accepts a request and lower-cases op', () => {
    const ops = parsePatchRequest(
      body(
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'members', value: [{ value: 'id1' }] },
        { op: 'REMOVE', path: 'members[value eq "id2"]' },
      ),
    );
    expect(ops).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'add', path: 'members', value: [{ value: 'id1' }] },
      { op: 'remove', path: 'members[value eq "id2"]' },
    ]);
  });

  it('accepts remove with a path and a value list (Okta, Entra ID)', () => {
    expect(parsePatchRequest(body({ op: 'Remove', path: 'members', value: [{ value: 'id1' }] }))).toEqual([
      { op: 'remove', path: 'members', value: [{ value: 'id1' }] },
    ]);
  });

  it('rejects a body that is not a PatchOp message', () => {
    fails('invalidSyntax', () => parsePatchRequest(null));
    fails('invalidSyntax', () => parsePatchRequest([]));
    fails('invalidSyntax', () =>
      parsePatchRequest({ Operations: [{ op: 'add', path: 'title', value: 'x' }] }),
    );
    fails('invalidSyntax', () =>
      parsePatchRequest({
        schemas: [USER_SCHEMA_ID],
        Operations: [{ op: 'add', path: 'title', value: 'x' }],
      }),
    );
  });

  it('rejects missing, empty and oversized Operations', () => {
    fails('invalidSyntax', () => parsePatchRequest({ schemas: [PATCH_OP_SCHEMA] }));
    fails('invalidSyntax', () => parsePatchRequest(body()));
    const many = Array.from({ length: 1001 }, () => ({ op: 'add', path: 'title', value: 'x' }));
    fails('invalidSyntax', () => parsePatchRequest(body(...many)));
    expect(parsePatchRequest(body(...many.slice(1)))).toHaveLength(1000);
  });

  it('rejects bad operations', () => {
    fails('invalidSyntax', () => parsePatchRequest(body('add')));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'copy', path: 'title', value: 'x' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ path: 'title', value: 'x' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'add', path: 'title' })));
    fails('invalidSyntax', () => parsePatchRequest(body({ op: 'replace' })));
    fails('invalidPath', () => parsePatchRequest(body({ op: 'add', path: 5, value: 'x' })));
  });

  it('rejects remove without a path as noTarget (RFC 7644 §3.5.2.2)', () => {
    fails('noTarget', () => parsePatchRequest(body({ op: 'remove' })));
    fails('noTarget', () => parsePatchRequest(body({ op: 'remove', value: 'x' })));
  });

  it.each([
    'emails[type eq "work"',
    'emails[type eq ]',
    'emails[type eq "work"]value',
    'emails..value',
    'a b',
    'emails.value[type eq "work"]',
    '[type eq "x"]',
    'name.givenName.x',
  ])('rejects the malformed path %s as invalidPath', (path) => {
    fails('invalidPath', () => parsePatchRequest(body({ op: 'replace', path, value: 'x' })));
  });
});

describe('parsePatchPath', () => {
  it('splits attribute, filter and sub-attribute', () => {
    expect(parsePatchPath('name.givenName')).toEqual({ attribute: 'name.givenName' });
    expect(parsePatchPath(`${ENT}:manager.value`)).toEqual({ attribute: `${ENT}:manager.value` });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      attribute: 'emails',
      filter: { op: 'eq', attrPath: 'type', compValue: 'work' },
      sub: 'value',
    });
    expect(parsePatchPath('members[value eq "a]b"]').filter).toEqual({
      op: 'eq',
      attrPath: 'value',
      compValue: 'a]b',
    });
  });
});
