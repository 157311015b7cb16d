import pg from 'pg';

// One LISTEN connection, kept open: a lost connection is closed and replaced with backoff, never two at once,
// and never a crash (every client has an error listener from its creation). The backoff stays short: a replica
// without its LISTEN connection learns of other processes' changes only by polling, so it tries again every
// second at most while the database is away.

export interface ListenHandlers {
  onNotification: (payload: string | undefined) => void;
  /** After every (re)connection: what was committed while nobody listened must be read. */
  onConnected: () => void;
  /** The connection was lost: until the next onConnected, notifications cannot arrive. */
  onLost: () => void;
  onError: (err: unknown) => void;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 1_000;

export class ListenConnection {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delayMs = FIRST_DELAY_MS;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ListenHandlers,
  ) {}

  /** The first connection; a failure here is thrown (start-up refuses a database it cannot listen to). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => this.handlers.onNotification(msg.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delayMs = FIRST_DELAY_MS;
    this.handlers.onConnected();
  }

  private lost(client: pg.Client, err?: unknown) {
    if (this.client !== client) return; // already replaced, or never in use
    this.client = undefined;
    if (err) this.handlers.onError(err);
    void client.end().catch(() => undefined);
    this.handlers.onLost();
    this.reconnectLater();
  }

  private reconnectLater() {
    if (this.closed || this.timer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(delay * 2, MAX_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch((err: unknown) => {
        this.handlers.onError(err);
        this.reconnectLater();
      });
    }, delay);
    this.timer.unref();
  }

  /** True while a LISTEN connection is open. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
