// SCIM protocol errors (RFC 7644 §3.12). They carry an HTTP status and, for 400s, a scimType keyword that
// tells the provisioning client which rule was broken; the SCIM routes render them with scimErrorBody.

export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  override readonly name = 'ScimError';

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimErrorType,
  ) {
    super(detail);
  }
}

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The RFC 7644 §3.12 body: {schemas, status (string), scimType?, detail}. */
export function scimErrorBody(err: ScimError): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], status: String(err.status) };
  if (err.scimType !== undefined) body.scimType = err.scimType;
  body.detail = err.detail;
  return body;
}

/** Shorthand for the 400s the SCIM rules raise. */
export function badRequest(scimType: ScimErrorType, detail: string): ScimError {
  return new ScimError(400, detail, scimType);
}
