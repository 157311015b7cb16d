import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// An on-call engineer sees what being on call gives them, until when, and is told in the inbox before it ends.

const fx = browserFixture();

describe.runIf(hasBrowser)('an on-call engineer in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('shows access through the rotation with its end, and the inbox says it ends within a day', async () => {
    const oscar = await fx.user('Oscar Oncall');
    const nina = await fx.user('Nina Next');
    const group = await fx.group('payments-pager');
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const rota = await fx.api('POST', '/on-call-schedules', {
      name: 'Payments pager',
      provider: 'builtin',
      config: { timezone: 'UTC', layers: [{ start, shiftMinutes: 12 * 60, userIds: [oscar.id, nina.id] }] },
    });
    await fx.api('PUT', `/groups/${group.id}/on-call-schedules`, { scheduleIds: [rota.id] }, undefined, 200);

    const page = await fx.signIn(oscar, '/access');
    const row = page.locator('li.card').filter({ hasText: 'payments-pager' });
    await expect
      .poll(() =>
        row
          .getByText(/On call/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => row.getByRole('timer').isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Inbox, 1 unread' }).click();
    await expect.poll(() => page.getByText(/Your access to payments-pager ends/).isVisible()).toBe(true);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
