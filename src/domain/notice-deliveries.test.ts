import { describe, expect, it } from 'vitest';
import { describeDeliveries } from './notice-deliveries.js';

describe('what went out', () => {
  it('says exactly what was shown, e-mailed and posted', () => {
    expect(describeDeliveries({ shownInLatch: 2, emailed: 1, channels: ['ops-alerts'] })).toBe(
      'Shown in Latch to 2 people; e-mailed to 1 person; posted to ops-alerts.',
    );
  });
  it('says so when nothing was e-mailed, instead of claiming a notification', () => {
    expect(describeDeliveries({ shownInLatch: 1, emailed: 0, channels: [] })).toBe(
      'Shown in Latch to 1 person; not e-mailed (no e-mail channel is set up for it).',
    );
  });
});
