import type { OidcRefusalReason } from '../../domain/oidc/sign-in.js';

// Why a single sign-on was refused; src/ops/audit/record-oidc-refusal.ts puts it on record.

export class OidcRefusedError extends Error {
  constructor(
    readonly reason: OidcRefusalReason,
    readonly userId: string | null = null,
    options?: { cause: unknown },
  ) {
    super(`single sign-on refused: ${reason}`, options);
    this.name = 'OidcRefusedError';
  }
}
