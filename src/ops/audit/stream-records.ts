import type { ChainedEvent, StoredCheckpoint } from '../../domain/audit-chain.js';
import { CHECKPOINT_RECORD, checkpointRecord, toCheckpoint } from '../../domain/audit-checkpoint-records.js';
import type { WebhookDelivery } from '../notifications/index.js';

// What an audit stream sends, in order: each event as the API shows it, and each checkpoint as a record of its
// own kind right after the event it covers, so the SIEM holds a signed copy of the head outside the database.

export interface StreamRecord {
  kind: 'event' | 'checkpoint';
  seq: number;
  delivery: WebhookDelivery;
}

export function streamRecords(events: ChainedEvent[], checkpoints: StoredCheckpoint[]): StreamRecord[] {
  const records: StreamRecord[] = [
    ...events.map((e) => ({
      kind: 'event' as const,
      seq: e.seq,
      delivery: { id: e.id, type: e.type, body: JSON.stringify(e) },
    })),
    ...checkpoints.map((stored) => {
      const c = toCheckpoint(stored);
      return {
        kind: 'checkpoint' as const,
        seq: c.seq,
        delivery: { id: `ckp_${c.seq}`, type: CHECKPOINT_RECORD, body: JSON.stringify(checkpointRecord(c)) },
      };
    }),
  ];
  // Stable: at equal seqs the event (listed first) goes before the checkpoint that covers it.
  return records.sort((a, b) => a.seq - b.seq);
}
