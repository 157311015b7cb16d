import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on loopback (no TLS) that keeps every message it accepts. By default it offers no AUTH;
// `offerAuthWithoutTls` makes it offer AUTH in clear text, as a careless or hostile server would, and record
// every login it receives.

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone, for searching in. */
  text: string;
}

export interface SmtpCapture {
  port: number;
  mails: Mail[];
  /** Credentials received with AUTH, in clear text. */
  logins: { username: string; password: string }[];
  connections(): number;
  close(): Promise<void>;
}

const decodeQuotedPrintable = (s: string) =>
  s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export async function startSmtpCapture(opts: { offerAuthWithoutTls?: boolean } = {}): Promise<SmtpCapture> {
  const mails: Mail[] = [];
  const logins: SmtpCapture['logins'] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    ...(opts.offerAuthWithoutTls
      ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'] }
      : { disabledCommands: ['STARTTLS', 'AUTH'] }),
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: decodeQuotedPrintable(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    logins,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
