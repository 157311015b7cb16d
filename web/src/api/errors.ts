// Problems from the API turned into sentences a person understands. The stable `code` picks the sentence;
// the server's `detail` is kept beside it because it names what was wrong with the input.

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldProblem[];
}

const sentences: Record<string, string> = {
  unauthenticated: 'You are not signed in, or your sign-in has ended. Please sign in again.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'That item does not exist any more, or it is not visible to you.',
  validation_failed: 'Some of what you entered is not valid.',
  conflict: 'That clashes with something that already exists or has just changed. Reload and try again.',
  nesting_cycle: 'That would make a group contain itself through nesting, so it was not added.',
  reason_required: 'Please give a reason.',
  not_break_glass_user: 'You are not a break-glass user of this group.',
  not_requestable: 'You cannot request this item.',
  duration_exceeds_max: 'That duration is longer than this item allows.',
  request_not_pending: 'This request has already been decided, withdrawn or has lapsed.',
  self_review_forbidden: 'You cannot review your own request or break-glass activation.',
  target_unavailable: 'The connected system refused Latch or could not be reached.',
  csrf_failed: 'The security check of your sign-in failed. Reload the page and try again.',
  payload_too_large: 'That is too much text to send at once.',
  unsupported_media_type: 'The server could not read what was sent.',
  method_not_allowed: 'The server does not support that action.',
  internal: 'Something went wrong on the server. It has been logged; please try again.',
  network: 'The server could not be reached. Check your connection and try again.',
};

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(sentenceFor(problem));
    this.name = 'ApiError';
  }
  get code() {
    return this.problem.code;
  }
  get status() {
    return this.problem.status;
  }
  /** Field problems with the `body.` / `query.` prefix removed, keyed by field name. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field.replace(/^(body|query|params)\./, '')] = e.message;
    return out;
  }
}

export function sentenceFor(p: Problem): string {
  return sentences[p.code] ?? (p.status >= 500 ? sentences.internal! : p.title || 'The request failed.');
}

/** The details worth showing under the sentence: the server's own words, unless they add nothing. */
export function detailOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const d = err.problem.detail?.trim();
  return d && d !== err.message ? d : undefined;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Reads a failed response as a problem, whatever the server sent. */
export async function readProblem(response: Response): Promise<Problem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const b = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
  return {
    status: response.status,
    code: typeof b.code === 'string' ? b.code : fallbackCode(response.status),
    title: typeof b.title === 'string' ? b.title : response.statusText,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    errors: Array.isArray(b.errors) ? b.errors : undefined,
  };
}

function fallbackCode(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'internal';
  return 'validation_failed';
}

export const networkError = () =>
  new ApiError({ status: 0, code: 'network', detail: undefined, title: 'Network error' });
