import { leadText } from './reminders.js';
import { reviewLeadText } from './access-reviews/reminders.js';

// Turns an outbox notice (its kind and payload) into words for people: a subject and a plain-text body, used
// as the e-mail and as the Slack message. Webhooks get the payload itself. Unknown kinds (written by features
// this file does not know) still read sensibly: their payload's simple fields, one per line.

export interface NoticeMessage {
  subject: string;
  text: string;
}

type Payload = Record<string, unknown>;

const str = (v: unknown) =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
const obj = (v: unknown): Payload => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Payload) : {});
const lines = (...items: [string, unknown][]) =>
  items
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([label, v]) => `${label}: ${str(v)}`)
    .join('\n');

function breakGlass(kind: string, p: Payload): NoticeMessage {
  const group = str(obj(p.group).name) || str(obj(p.group).id);
  const user = str(obj(p.user).email) || str(obj(p.user).id);
  const details: [string, unknown][] = [
    ['Group', group],
    ['User', user],
    ['Reason', p.reason],
    ['Activated at', p.activatedAt],
    ['Expires at', p.expiresAt],
  ];
  if (kind === 'break_glass.activated')
    return {
      subject: `Break-glass: ${user} broke the glass on ${group}`,
      text: `${user} activated break-glass access to ${group}. It will be reviewed.\n\n${lines(...details)}`,
    };
  if (kind === 'break_glass.ended')
    return {
      subject: `Break-glass ended: ${user} on ${group}`,
      text: `Break-glass access of ${user} to ${group} has ended.\n\n${lines(...details, ['Ended at', p.endedAt], ['End reason', p.endReason])}`,
    };
  const review = obj(p.review);
  return {
    subject: `Break-glass reviewed (${str(review.status)}): ${user} on ${group}`,
    text: `The break-glass activation of ${user} on ${group} was reviewed.\n\n${lines(...details, ['Outcome', review.status], ['Comment', review.comment])}`,
  };
}

function grant(kind: string, p: Payload): NoticeMessage {
  const item = obj(p.item);
  const name = str(item.name) || str(item.id);
  const target = p.accessLevel ? `${name} (${str(p.accessLevel)})` : name;
  const details = lines(['Access', target], ['Source', p.source], ['Expires at', p.expiresAt]);
  if (kind === 'grant.expired')
    return {
      subject: `Your access to ${target} has expired`,
      text: `Your access to ${target} has ended.\n\n${details}`,
    };
  const lead = leadText(str(p.reminder));
  return {
    subject: `Your access to ${target} ends ${lead}`,
    text: `Your access to ${target} ends ${lead}. Request it again if you still need it.\n\n${details}`,
  };
}

function request(kind: string, p: Payload): NoticeMessage {
  const items = (Array.isArray(p.items) ? p.items : []).map(obj);
  const itemLines = items
    .map(
      (i) =>
        `- ${str(i.groupId) || `${str(i.resourceId)} (${str(i.accessLevel)})`}${i.status ? `: ${str(i.status)}` : ''}`,
    )
    .join('\n');
  const details = `${lines(['Request', p.requestId], ['Requested by', p.requesterId], ['For', p.targetUserId], ['Duration (minutes)', p.durationMinutes], ['Reason', p.reason])}\n${itemLines}`;
  if (kind === 'request.review_requested')
    return {
      subject: 'An access request awaits your review',
      text: `An access request awaits your review.\n\n${details}`,
    };
  const outcome = kind.slice('request.'.length).replace(/_/g, ' ');
  return { subject: `Access request ${outcome}`, text: `The access request was ${outcome}.\n\n${details}` };
}

function accessReview(p: Payload): NoticeMessage {
  const name = str(obj(p.accessReview).name) || str(obj(p.accessReview).id);
  const lead = reviewLeadText(str(p.reminder));
  const undecided = Number(p.undecided) || 0;
  return {
    subject: `Access review "${name}" closes ${lead}: ${undecided} row${undecided === 1 ? '' : 's'} to decide`,
    text: `The access review "${name}" closes ${lead} and ${undecided} of your rows have no decision yet. Keep, shorten or revoke them before the deadline.\n\n${lines(['Deadline', p.deadline], ['Undecided rows', undecided])}`,
  };
}

function accessReviewStarted(p: Payload): NoticeMessage {
  const name = str(obj(p.accessReview).name) || str(obj(p.accessReview).id);
  const rows = Number(p.undecided) || 0;
  return {
    subject: `Access review "${name}" started: ${rows} row${rows === 1 ? '' : 's'} for you to decide`,
    text: `The access review "${name}" asks you whether people still need access they have. Keep, shorten or revoke each of your rows before the deadline.\n\n${lines(['Deadline', p.deadline], ['Rows to decide', rows])}`,
  };
}

export function renderNotice(kind: string, payload: Payload): NoticeMessage {
  if (kind === 'access_review.reminder') return accessReview(payload);
  if (kind === 'access_review.started') return accessReviewStarted(payload);
  if (kind.startsWith('break_glass.')) return breakGlass(kind, payload);
  if (kind === 'grant.expired' || kind === 'grant.expiring') return grant(kind, payload);
  if (kind.startsWith('request.')) return request(kind, payload);
  if (kind === 'channel.test')
    return {
      subject: 'Latch test notification',
      text: `This is a test of the notification channel ${str(payload.channel)}.`,
    };
  const simple = Object.entries(payload).filter(([, v]) => v === null || typeof v !== 'object');
  return {
    subject: `Latch: ${kind}`,
    text: simple.length
      ? lines(...simple.map(([k, v]): [string, unknown] => [k, v]))
      : JSON.stringify(payload),
  };
}
