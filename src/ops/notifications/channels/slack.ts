import type { SlackConfig } from '../../../domain/notification-channels.js';
import type { NoticeMessage } from '../../../domain/notice-messages.js';
import type { OutboundPolicy } from '../../shared/outbound/policy.js';
import { postJson } from './http-post.js';

// Slack incoming webhooks: `{text, blocks}`. `text` is the fallback shown in notifications; the block shows
// the subject in bold above the details.

/** Slack's mrkdwn gives &, < and > meaning; user text (reasons, names) must not make links or mentions. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(message: NoticeMessage): string {
  const text = `${escape(message.subject)}\n${escape(message.text)}`;
  return JSON.stringify({
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escape(message.subject)}*\n${escape(message.text)}`.slice(0, 3000),
        },
      },
    ],
  });
}

export async function postSlack(
  config: SlackConfig,
  message: NoticeMessage,
  timeoutMs: number,
  outbound: OutboundPolicy,
): Promise<void> {
  await postJson(config.webhookUrl, slackBody(message), {}, timeoutMs, outbound);
}
