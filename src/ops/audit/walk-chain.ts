import type { StoreDb } from '../../store/handles.js';
import type { ChainState, StoredCheckpoint } from '../../domain/audit-chain.js';
import type { ChainWalk, VerifyFailure } from '../../domain/audit-verification.js';
import { iterateStoredEvents } from '../../store/audit-chain.js';

// Feeds a walk the stored events from where it stands up to the head, and each source's checkpoints (each in seq
// order) as soon as the chain has reached their seq, so the walk can hold them against the hash there. What is
// left of the checkpoints at the end lies beyond the chain's end.

export class CheckpointFeed {
  private next: IteratorResult<StoredCheckpoint> | undefined;
  /** Checkpoints this source gave that the chain matched. */
  matched = 0;

  constructor(private readonly source: AsyncIterator<StoredCheckpoint> | Iterator<StoredCheckpoint>) {}

  static of(checkpoints: Iterable<StoredCheckpoint> | AsyncIterable<StoredCheckpoint>): CheckpointFeed {
    return new CheckpointFeed(
      Symbol.asyncIterator in checkpoints
        ? checkpoints[Symbol.asyncIterator]()
        : checkpoints[Symbol.iterator](),
    );
  }

  /** Hands the walk every checkpoint up to `seq` (all of them when undefined); the first failure, if any. */
  async feed(walk: ChainWalk, seq?: number): Promise<VerifyFailure | null> {
    for (;;) {
      this.next ??= await this.source.next();
      if (this.next.done) return null;
      const c = this.next.value;
      if (seq !== undefined && !(Number(c.seq) <= seq)) return null;
      this.next = undefined;
      const failure = walk.checkpoint(c);
      if (failure) return failure;
      this.matched++;
    }
  }
}

/** Walks events after the walk's position up to `head`, then checks the head; the first failure, if any. */
export async function walkChain(
  db: StoreDb,
  walk: ChainWalk,
  head: ChainState,
  feeds: CheckpointFeed[] = [],
): Promise<VerifyFailure | null> {
  const feedUpTo = async (seq?: number) => {
    for (const f of feeds) {
      const failure = await f.feed(walk, seq);
      if (failure) return failure;
    }
    return null;
  };
  let failure = await feedUpTo(walk.position.seq);
  if (failure) return failure;
  for await (const e of iterateStoredEvents(db, { afterSeq: walk.position.seq, uptoSeq: head.seq })) {
    failure = walk.event(e) ?? (await feedUpTo(walk.position.seq));
    if (failure) return failure;
  }
  return (await feedUpTo()) ?? walk.end(head);
}
