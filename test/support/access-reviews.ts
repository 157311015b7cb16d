/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { expect } from 'vitest';
import type { AccessReview, AccessReviewRow, AuditEvent } from './api-types.js';
import type { Caller, Harness } from './harness.js';

// Calls the access review tests share: made as a given caller, each expecting its status.

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function reviewKit(h: Harness) {
  let counter = 0;
  const call = async (caller: Caller | null, method: string, url: string, body?: unknown, status = 200) => {
    const res = caller
      ? await h.as(caller)(method, `/api/v1${url}`, body)
      : await h.request(method, `/api/v1${url}`, { body });
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as any;
  };
  const admin = (method: string, url: string, body?: unknown, status = 200) =>
    call(null, method, url, body, status);
  return {
    call,
    admin,
    name: (prefix: string) => `${prefix}-${Date.now()}-${counter++}`,
    group: async (name: string, ownerUserIds: string[] = []) =>
      (await admin('POST', '/groups', { name, ownerUserIds }, 201)).id as string,
    member: async (groupId: string, userId: string, extra: Record<string, unknown> = {}) =>
      (await admin('POST', `/groups/${groupId}/members`, { userId, ...extra }, 201)).id as string,
    nest: async (parentId: string, childId: string) =>
      (await admin('POST', `/groups/${parentId}/assets`, { groupId: childId }, 201)).id as string,
    start: async (by: Caller | null, body: Record<string, unknown>) =>
      (await call(by, 'POST', '/access-reviews', body, 201)) as AccessReview,
    rows: async (by: Caller | null, reviewId: string, query = '') =>
      (await call(by, 'GET', `/access-reviews/${reviewId}/rows?limit=500${query}`))
        .items as AccessReviewRow[],
    decide: (by: Caller | null, reviewId: string, body: Record<string, unknown>, status = 200) =>
      call(by, 'POST', `/access-reviews/${reviewId}/decisions`, body, status),
    events: async (type: string, subjectId: string) =>
      (await admin('GET', `/events?type=${type}&subjectId=${subjectId}&limit=500`)).items as AuditEvent[],
    check: async (userId: string, groupId: string) =>
      (await admin('GET', `/access/check?userId=${userId}&groupId=${groupId}`)) as {
        allowed: boolean;
        expiresAt: string | null;
      },
  };
}

/** CSV text as rows of cells (quotes undone), for reading reports back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
