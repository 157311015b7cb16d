// What went out about an event, as it is recorded and told to the person who caused it: never "the owners have
// been notified" when nothing was delivered. The in-app inbox always shows what waits for a reviewer; e-mail
// goes only through an enabled e-mail channel that carries the kind of notice; chat and webhook channels are the
// ones the group picked that carry it.

export interface NoticeDeliveries {
  /** People who see it in their Latch inbox (those who may act on it). */
  shownInLatch: number;
  /** People it is e-mailed to (0 when no enabled e-mail channel carries this kind of notice). */
  emailed: number;
  /** Names of the group's channels it is posted to. */
  channels: string[];
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** "Shown in Latch to 2 people; e-mailed to 1 person; posted to ops-alerts." */
export function describeDeliveries(d: NoticeDeliveries): string {
  const parts = [
    d.shownInLatch > 0
      ? `shown in Latch to ${people(d.shownInLatch)}`
      : 'shown in Latch to nobody (no one else may review it)',
    d.emailed > 0 ? `e-mailed to ${people(d.emailed)}` : 'not e-mailed (no e-mail channel is set up for it)',
  ];
  if (d.channels.length) parts.push(`posted to ${d.channels.join(', ')}`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
