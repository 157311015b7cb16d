import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_GRANTS, planOnCallGrants, reconcileOnCallGrants } from './on-call-grants.js';

const t = (iso: string) => new Date(`2026-01-01T${iso}Z`);
const shift = (userId: string, start: string, end: string) => ({ userId, start: t(start), end: t(end) });

describe('planOnCallGrants', () => {
  it('keeps shifts still to end, adds the grace period and merges what the grace joins', () => {
    const shifts = [
      shift('ann', '00:00:00', '08:00:00'),
      shift('bob', '08:00:00', '16:00:00'),
      shift('bob', '16:10:00', '20:00:00'),
      shift('ann', '20:00:00', '23:00:00'),
    ];
    const plan = planOnCallGrants(shifts, 15, t('09:00:00'));
    expect(plan.refreshBy).toBeNull();
    expect(plan.desired.map((g) => [g.userId, g.startsAt.toISOString(), g.expiresAt.toISOString()])).toEqual([
      ['bob', t('08:00:00').toISOString(), t('20:15:00').toISOString()],
      ['ann', t('20:00:00').toISOString(), t('23:15:00').toISOString()],
    ]);
  });

  it('ends an outgoing shift exactly at the handoff without grace', () => {
    const plan = planOnCallGrants([shift('ann', '00:00:00', '08:00:00')], 0, t('07:59:59'));
    expect(plan.desired[0]!.expiresAt).toEqual(t('08:00:00'));
    expect(planOnCallGrants([shift('ann', '00:00:00', '08:00:00')], 0, t('08:00:00')).desired).toEqual([]);
  });

  it('never adds the grace period past the latest representable end', () => {
    const forever = { userId: 'ann', start: t('00:00:00'), end: new Date('9999-12-31T23:59:59.999Z') };
    const plan = planOnCallGrants([forever], 15, t('01:00:00'));
    expect(plan.desired[0]!.expiresAt.toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });

  it('caps the grants written ahead and says when to write more', () => {
    const shifts = Array.from({ length: 200 }, (_, i) => ({
      userId: `u${i % 3}`,
      start: new Date(t('00:00:00').getTime() + i * 2000),
      end: new Date(t('00:00:00').getTime() + (i + 1) * 2000),
    }));
    const now = new Date(t('00:00:00').getTime() + 1000);
    const plan = planOnCallGrants(shifts, 0, now);
    expect(plan.desired).toHaveLength(MAX_FUTURE_GRANTS + 1);
    const lastStart = plan.desired[plan.desired.length - 1]!.startsAt.getTime();
    expect(plan.refreshBy!.getTime()).toBeGreaterThan(now.getTime());
    expect(plan.refreshBy!.getTime()).toBeLessThan(lastStart);
  });
});

describe('reconcileOnCallGrants', () => {
  const now = t('10:00:00');
  const live = (id: string, userId: string, startsAt: string, expiresAt: string, createdAt = startsAt) => ({
    id,
    userId,
    startsAt: t(startsAt),
    expiresAt: t(expiresAt),
    createdAt: t(createdAt),
  });
  const want = (userId: string, startsAt: string, expiresAt: string) => ({
    userId,
    startsAt: t(startsAt),
    expiresAt: t(expiresAt),
  });

  it('changes nothing when the grants already match, including one written mid-shift', () => {
    const grants = [
      live('g1', 'ann', '09:30:00', '12:00:00', '09:30:00'),
      live('g2', 'bob', '12:00:00', '18:00:00', '09:30:00'),
    ];
    const out = reconcileOnCallGrants(
      grants,
      [want('ann', '08:00:00', '12:00:00'), want('bob', '12:00:00', '18:00:00')],
      now,
    );
    expect(out).toEqual({ end: [], create: [] });
  });

  it('ends grants whose shift changed and writes the new ones, starting no earlier than now', () => {
    const grants = [
      live('g1', 'ann', '08:00:00', '17:00:00'),
      live('g2', 'bob', '17:00:00', '23:00:00', '08:00:00'),
    ];
    const out = reconcileOnCallGrants(
      grants,
      [
        want('ann', '08:00:00', '12:00:00'),
        want('cat', '12:00:00', '17:00:00'),
        want('bob', '17:00:00', '23:00:00'),
      ],
      now,
    );
    expect(out.end.map((g) => g.id)).toEqual(['g1']);
    expect(out.create).toEqual([want('ann', '10:00:00', '12:00:00'), want('cat', '12:00:00', '17:00:00')]);
  });

  it('keeps two identical grants apart: one matches, the extra one ends', () => {
    const grants = [live('g1', 'ann', '08:00:00', '17:00:00'), live('g2', 'ann', '08:00:00', '17:00:00')];
    const out = reconcileOnCallGrants(grants, [want('ann', '08:00:00', '17:00:00')], now);
    expect(out.end).toHaveLength(1);
    expect(out.create).toEqual([]);
  });

  it('keeps a grant cut at the end of an earlier sync span rather than rewriting it at every sync', () => {
    const day = 86400_000;
    const spanEnd = (at: Date) => new Date(at.getTime() + 14 * day);
    const earlier = t('09:55:00');
    const written = {
      id: 'g1',
      userId: 'ann',
      startsAt: t('10:00:00'),
      expiresAt: spanEnd(earlier),
      createdAt: t('09:55:00'),
    };
    const cut = { userId: 'ann', startsAt: t('10:00:00'), expiresAt: spanEnd(now) };
    expect(reconcileOnCallGrants([written], [cut], now, spanEnd(now))).toEqual({ end: [], create: [] });
    // Without knowing the span's end, the moved end is a different grant.
    expect(reconcileOnCallGrants([written], [cut], now).end).toEqual([written]);
    // Once the real end is inside the span, the grant is rewritten to end there.
    const real = { userId: 'ann', startsAt: t('10:00:00'), expiresAt: new Date(now.getTime() + 3 * day) };
    const out = reconcileOnCallGrants([written], [real], now, spanEnd(now));
    expect(out.end).toEqual([written]);
    expect(out.create).toEqual([real]);
  });
});
