import { touchToken } from '../../store/tokens.js';
import type { OpsDeps } from '../shared/deps.js';

// When each API token was last used, for people deciding which tokens to revoke. Written at most once a minute
// per token and off the request's path: a use is noted, the write happens after, and a failed write is reported
// and tried again on the token's next use.

/** A token's recorded last use is at most this far behind its real last use. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

export class TokenUseRecorder {
  private readonly written = new Map<string, number>();

  constructor(private readonly deps: Pick<OpsDeps, 'db' | 'now' | 'reportError'>) {}

  note(tokenId: string): void {
    const now = this.deps.now();
    const last = this.written.get(tokenId);
    if (last !== undefined && now.getTime() - last < TOKEN_USE_RESOLUTION_MS) return;
    this.written.set(tokenId, now.getTime());
    // Bounded: tokens not used for a while are forgotten, and at worst written once more.
    if (this.written.size > 10_000)
      for (const id of [...this.written.keys()].slice(0, 5_000)) this.written.delete(id);
    touchToken(this.deps.db, tokenId, now).catch((err: unknown) => {
      this.written.delete(tokenId);
      this.deps.reportError?.(err, 'recording when a token was last used');
    });
  }
}
