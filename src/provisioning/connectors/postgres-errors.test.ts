import { describe, expect, it } from 'vitest';
import { TargetError } from '../connector.js';
import { describeFailure, isConnectionLost, toTargetError } from './postgres-errors.js';

const ctx = {
  where: 'db:5432',
  doing: 'granting',
  privilegeHint: 'needs CREATEROLE',
  password: 'Sup3r-secret',
};
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

function mapped(err: unknown): TargetError {
  const result = toTargetError(err, ctx);
  expect(result).toBeInstanceOf(TargetError);
  return result as TargetError;
}

describe('PostgreSQL failures as TargetErrors', () => {
  it.each([
    [withCode('connect ECONNREFUSED 10.0.0.1:5432', 'ECONNREFUSED'), true],
    [withCode('read ECONNRESET', 'ECONNRESET'), true],
    [withCode('terminating connection due to administrator command', '57P01'), true],
    [withCode('the database system is starting up', '57P03'), true],
    [withCode('canceling statement due to statement timeout', '57014'), true],
    [withCode('connection failure', '08006'), true],
    [withCode('sorry, too many clients already', '53300'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [withCode('permission denied to grant role "x"', '42501'), false],
    [withCode('password authentication failed for user "latch"', '28P01'), false],
    [withCode('database "nope" does not exist', '3D000'), false],
    [withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), false],
  ])('%s → retryable %s', (err, retryable) => {
    expect(mapped(err).retryable).toBe(retryable);
  });

  it('names the missing privilege on 42501', () => {
    expect(mapped(withCode('permission denied', '42501')).message).toMatch(/needs CREATEROLE/);
  });

  it('never lets the password through, whatever the message says', () => {
    const err = withCode('odd failure mentioning Sup3r-secret', 'XX000');
    expect(mapped(err).message).not.toContain('Sup3r-secret');
    expect(describeFailure(new TypeError('Sup3r-secret'), ctx)).not.toContain('Sup3r-secret');
  });

  it('leaves defects alone', () => {
    const bug = new TypeError('undefined is not a function');
    expect(toTargetError(bug, ctx)).toBe(bug);
  });

  it('tells a lost connection from a refusal', () => {
    expect(isConnectionLost(withCode('x', '57P01'))).toBe(true);
    expect(
      isConnectionLost(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
    expect(isConnectionLost(withCode('x', 'ECONNREFUSED'))).toBe(false);
    expect(isConnectionLost(withCode('x', '42501'))).toBe(false);
  });
});
