import { describe, expect, it } from 'vitest';
import { expiringSince, isUnread, sortInbox, type InboxItem } from './inbox.js';

const item = (id: string, at: string, due: string | null = null): InboxItem => ({
  kind: 'request.decide',
  id,
  at: new Date(at),
  due: due ? new Date(due) : null,
  overdue: false,
  userId: 'u',
  items: [],
  reason: null,
});

describe('the inbox', () => {
  it('counts as unread what arrived after the last read, and everything before any read', () => {
    const seen = new Date('2026-01-01T10:00:00Z');
    expect(isUnread(item('a', '2026-01-01T10:00:01Z'), seen)).toBe(true);
    expect(isUnread(item('b', '2026-01-01T10:00:00Z'), seen)).toBe(false);
    expect(isUnread(item('c', '2020-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('puts access into the inbox a day before it ends', () => {
    expect(expiringSince(new Date('2026-01-02T10:00:00Z')).toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('sorts newest first, then soonest due', () => {
    const sorted = sortInbox([
      item('old', '2026-01-01T00:00:00Z'),
      item('late', '2026-01-02T00:00:00Z', '2026-01-05T00:00:00Z'),
      item('soon', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'),
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['soon', 'late', 'old']);
  });
});
