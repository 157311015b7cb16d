import { ResultCodeError } from 'ldapts';
import { TargetError } from '../connector.js';

// Every failure of an LDAP exchange becomes a TargetError. Retryable: the server could not be reached, hung,
// dropped the connection or said it is busy. Not retryable: refusals that will recur until someone changes the
// configuration or the directory. Messages name the host and what was attempted, never the bind password;
// the server's own diagnostic is kept short and cleaned.

const MAX_DIAGNOSTIC = 160;

/** Result codes that mean "later": timeLimitExceeded, adminLimitExceeded, busy, unavailable. */
const RETRYABLE_CODES = new Set([3, 11, 51, 52]);

const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function diagnostic(err: Error): string {
  const text = err.message.replace(/\p{Cc}+/gu, ' ').trim();
  return text.length > MAX_DIAGNOSTIC ? `${text.slice(0, MAX_DIAGNOSTIC)}…` : text;
}

function refusal(code: number, what: string): string | undefined {
  switch (code) {
    case 49:
      return 'the server refused the bind DN or password (invalid credentials)';
    case 50:
      return `the bind DN is not allowed to ${what} (insufficient access)`;
    case 32:
      return `no such entry while trying to ${what} (a base DN or the group is missing)`;
    case 8:
    case 13:
      return 'the server requires an encrypted connection (use ldaps:// or startTls)';
    default:
      return undefined;
  }
}

/** `what`: the step in words ("list groups under ou=groups,…"); `server`: host and port. */
export function ldapFailure(err: unknown, what: string, server: string): TargetError {
  if (err instanceof TargetError) return err;
  if (err instanceof ResultCodeError) {
    const known = refusal(err.code, what);
    const message = known
      ? `LDAP ${server}: ${known}`
      : `LDAP ${server}: could not ${what}: ${err.name} (${err.code}): ${diagnostic(err)}`;
    return new TargetError(message, RETRYABLE_CODES.has(err.code), { cause: err });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_TRUST.test(code))
    return new TargetError(`LDAP ${server}: the server's TLS certificate is not trusted (${code})`, false, {
      cause: err,
    });
  return new TargetError(`LDAP ${server} could not be reached to ${what}: ${diagnostic(e)}`, true, {
    cause: err,
  });
}
