import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { LdapConfig, LdapSecrets } from './ldap-config.js';
import { ldapFailure } from './ldap-errors.js';

// One LDAP connection per operation: connect, StartTLS when configured, bind as the service account, work,
// unbind. Nothing outlives an operation, so a restarted or hung server never leaves a broken connection
// behind, and closing means ending the sessions still open. Every wait is bounded: ldapts times the TCP
// connect and each request; the setup (connect + StartTLS handshake + bind) also has its own deadline,
// because ldapts does not time the StartTLS handshake.

export interface LdapSessionOptions {
  /** TCP (and for ldaps://, TLS) connection deadline. Default 5 s. */
  connectTimeoutMs?: number;
  /** Deadline of each LDAP request. Default 15 s. */
  timeoutMs?: number;
  /** Extra TLS settings for ldaps:// and StartTLS, such as the CA of a private directory. */
  tls?: ConnectionOptions;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_TIMEOUT_MS = 15_000;

interface Open {
  sockets: Set<Socket>;
  done: Promise<unknown>;
}

export class LdapSessions {
  private readonly open = new Set<Open>();
  private closed = false;
  readonly server: string;
  private readonly host: string;

  constructor(
    private readonly config: LdapConfig,
    private readonly secrets: LdapSecrets,
    private readonly options: LdapSessionOptions = {},
  ) {
    const url = new URL(config.url);
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.server = url.host;
  }

  /** Runs `work` on a fresh bound connection; any failure becomes a TargetError describing `what`. */
  async run<T>(what: string, work: (client: Client) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the LDAP connector is closed');
    const sockets = new Set<Socket>();
    const entry: Open = { sockets, done: Promise.resolve() };
    const task = this.session(sockets, what, work);
    entry.done = task.catch(() => undefined);
    this.open.add(entry);
    try {
      return await task;
    } finally {
      this.open.delete(entry);
    }
  }

  /** Ends every open session (their operations fail as retryable) and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.open];
    for (const o of open) for (const s of o.sockets) s.destroy(new Error('the connector was closed'));
    await Promise.all(open.map((o) => o.done));
  }

  private async session<T>(
    sockets: Set<Socket>,
    what: string,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const connectTimeout = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const timeout = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secure = this.config.url.startsWith('ldaps:');
    const track = <S extends Socket>(socket: S): S => {
      // Sockets are ended with an error, never silently: ldapts settles a connect or a request on 'error', while a
      // plain destroy() would leave a connect waiting. The no-op listener covers moments ldapts is not listening.
      socket.on('error', () => undefined);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      if (this.closed) socket.destroy(new Error('the connector was closed'));
      return socket;
    };
    const client = new Client({
      url: this.config.url,
      connectTimeout,
      timeout,
      // Given tlsOptions, ldapts connects with TLS straight away, so only for ldaps://.
      ...(secure ? { tlsOptions: { servername: this.servername(), ...this.options.tls } } : {}),
      // Every socket is tracked, so close() and the watchdog can end a session that hangs anywhere.
      createConnection: ((port: number, host: string) => track(netConnect(port, host))) as typeof netConnect,
      createSecureConnection: ((...args: Parameters<typeof tlsConnect>) =>
        track(tlsConnect(...args))) as typeof tlsConnect,
    });
    let step = what;
    let setupTimedOut = false;
    const watchdog = setTimeout(
      () => {
        setupTimedOut = true;
        for (const s of sockets) s.destroy(new Error('no answer in time'));
      },
      connectTimeout + 2 * timeout,
    );
    try {
      try {
        if (this.config.startTls) {
          step = 'start TLS (StartTLS)';
          await client.startTLS({ host: this.host, servername: this.servername(), ...this.options.tls });
        }
        step = `bind as ${this.config.bindDn}`;
        await client.bind(this.config.bindDn, this.secrets.bindPassword);
      } finally {
        clearTimeout(watchdog);
      }
      step = what;
      return await work(client);
    } catch (err) {
      if (setupTimedOut) throw ldapFailure(new Error('no answer in time'), step, this.server);
      throw ldapFailure(err, step, this.server);
    } finally {
      await client.unbind().catch(() => undefined);
      for (const s of sockets) s.destroy();
    }
  }

  /** SNI carries names only (RFC 6066); certificate checks still use the host. */
  private servername(): string | undefined {
    return /^[\d.]+$|:/.test(this.host) ? undefined : this.host;
  }
}
