import type { FastifyError, FastifyInstance } from 'fastify';
import type { Subject } from '../../domain/audit-chain.js';
import { AppError } from '../../domain/errors.js';
import { recordRefusal } from '../../ops/audit/record-refusal.js';
import { recordSignInRefusal } from '../../ops/audit/record-sign-in-refusal.js';
import { RefusalThrottle } from '../../ops/audit/refusal-throttle.js';
import type { OpsDeps } from '../../ops/shared/deps.js';

// Refusals go on record from here, after the operation has failed and rolled back: a change the policy refused
// (403 on POST, PUT, PATCH or DELETE by a signed-in caller) as `authorization.refused`, and a refused browser
// sign-in as `session.refused`. Reads that are refused are not recorded; neither are 404s, which say nothing
// about whether the object exists. Recording never changes the answer the caller gets.

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The subject type of the id that follows each path segment. */
const SUBJECT_TYPES: Record<string, string> = {
  'access-reviews': 'access_review',
  activations: 'break_glass_activation',
  assets: 'asset',
  grants: 'grant',
  groups: 'group',
  'notification-channels': 'notification_channel',
  'on-call-schedules': 'on_call_schedule',
  requests: 'request',
  resources: 'resource',
  tokens: 'token',
  users: 'user',
};

/** The objects a route's path names: `/groups/:id/assets/:assetId` names a group and an asset. */
export function pathSubjects(route: string, params: unknown): Subject[] {
  const values = (params ?? {}) as Record<string, unknown>;
  const segments = route.split('/');
  return segments.flatMap((segment, i) => {
    const value = segment.startsWith(':') ? values[segment.slice(1)] : undefined;
    if (typeof value !== 'string') return [];
    const before = segments[i - 1] ?? '';
    return [{ type: SUBJECT_TYPES[before] ?? before.replace(/-/g, '_'), id: value }];
  });
}

/** Registers the recording on the routes under `prefix` (the scope this is called in). */
export function registerRefusalAudit(app: FastifyInstance, deps: OpsDeps, prefix: string) {
  const refusals = new RefusalThrottle();
  const signIns = new RefusalThrottle();
  app.addHook('onError', async (request, _reply, error: FastifyError | AppError) => {
    if (!(error instanceof AppError) || !request.routeOptions.url) return;
    const route = request.routeOptions.url.slice(prefix.length);
    try {
      if (request.method === 'POST' && route === '/session') {
        const token = (request.body as { token?: unknown } | undefined)?.token;
        if ((error.code === 'unauthenticated' || error.code === 'forbidden') && typeof token === 'string')
          await recordSignInRefusal(deps, signIns, { token, address: request.ip });
        return;
      }
      // An unauthenticated caller, or one refused before the policy was asked, has no `user` yet.
      if (!CHANGES.has(request.method) || error.status !== 403 || !request.user) return;
      await recordRefusal(deps, refusals, {
        actor: request.user,
        method: request.method,
        route,
        code: error.code,
        subjects: pathSubjects(route, request.params),
      });
    } catch (err) {
      request.log.error({ err }, 'a refusal could not be recorded in the audit log');
    }
  });
}
