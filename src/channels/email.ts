import nodemailer from 'nodemailer';
import type { EmailConfig } from '../domain/notification-channels.js';
import type { NoticeMessage } from '../domain/notice-messages.js';

// E-mail over SMTP. One connection per message: notices are few, and a pooled connection to a server that went
// away is one more way to fail.

export async function sendEmail(
  config: EmailConfig,
  to: string[],
  message: NoticeMessage,
  timeoutMs: number,
  messageId?: string,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? config.port === 465,
    ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: config.from,
      to,
      subject: message.subject,
      text: message.text,
      // A stable Message-ID lets mail systems drop the duplicate a retry after a lost reply would make.
      ...(messageId ? { messageId: `<${messageId}@latch>` } : {}),
    });
  } finally {
    transport.close();
  }
}
