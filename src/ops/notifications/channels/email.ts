import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EmailConfig } from '../../../domain/notification-channels.js';
import type { NoticeMessage } from '../../../domain/notice-messages.js';
import type { OutboundPolicy } from '../../shared/outbound/policy.js';
import { guardedConnect } from '../../shared/outbound/tcp-connect.js';

// E-mail over SMTP. One connection per message: notices are few, and a pooled connection to a server that went
// away is one more way to fail. The connection is made by the outbound guard (an allowed address, checked
// after resolution); nodemailer speaks SMTP over it and starts TLS on it with the configured host name, so the
// certificate is checked against the name the admin gave. A password is only ever sent over TLS: with a user
// name set, a server that does not offer STARTTLS is refused before AUTH.

export interface EmailSendOptions {
  timeoutMs: number;
  outbound: OutboundPolicy;
  /** Makes the Message-ID stable across retries. */
  messageId?: string;
}

export async function sendEmail(
  config: EmailConfig,
  to: string[],
  message: NoticeMessage,
  opts: EmailSendOptions,
): Promise<void> {
  const { timeoutMs, outbound, messageId } = opts;
  const secure = config.secure ?? config.port === 465;
  const options: SMTPTransport.Options = {
    host: config.host,
    port: config.port,
    secure,
    ...(config.username
      ? { auth: { user: config.username, pass: config.password ?? '' }, requireTLS: !secure }
      : {}),
    getSocket: (_options, callback) => {
      guardedConnect(outbound, config.host, config.port, timeoutMs).then(
        (connection) => callback(null, { connection }),
        (err: Error) => callback(err, null),
      );
    },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  const transport = nodemailer.createTransport(options);
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
