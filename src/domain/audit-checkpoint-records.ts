import { isoOfMicros, microsOf, type StoredCheckpoint } from './audit-chain.js';

// A checkpoint leaves Latch in one shape, in the API's list and in the audit stream to a SIEM, so that a copy
// kept outside can be handed back to `latch audit verify --checkpoints`: the SIEM's copy survives an attacker
// who deleted both the newest events and the checkpoint rows that covered them.

/** The `record` field that tells a streamed checkpoint from a streamed event. */
export const CHECKPOINT_RECORD = 'audit.checkpoint';

export interface Checkpoint {
  seq: number;
  hash: string;
  createdAt: string;
  mac: string;
}

export const toCheckpoint = (c: StoredCheckpoint): Checkpoint => ({
  seq: Number(c.seq),
  hash: c.hash,
  // Checkpoints are written at whole milliseconds; a stored time that is not one fails its MAC anyway.
  createdAt: isoOfMicros(c.createdAtUs) ?? c.createdAtUs,
  mac: c.mac,
});

/** The body the audit stream sends for a checkpoint. */
export const checkpointRecord = (c: Checkpoint) => ({ record: CHECKPOINT_RECORD, ...c });

export class CheckpointExportError extends Error {}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/**
 * Reads checkpoints from a SIEM export: JSON lines or one JSON array of what the stream sent (events among them
 * are skipped), or a page of `GET /events/checkpoints`. Sorted by seq, as verification takes them.
 */
export function parseCheckpointExport(text: string): StoredCheckpoint[] {
  const trimmed = text.trim();
  let records: { value: unknown; where: string }[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{"items"')) {
    const parsed = parseJson(trimmed, 'the file');
    const list = Array.isArray(parsed) ? parsed : (parsed as { items?: unknown }).items;
    if (!Array.isArray(list)) throw new CheckpointExportError('the file is not a JSON array of records');
    records = list.map((value, i) => ({ value, where: `record ${i + 1}` }));
  } else {
    records = trimmed
      .split('\n')
      .map((line, i) => ({ line: line.trim(), where: `line ${i + 1}` }))
      .filter((l) => l.line !== '')
      .map((l) => ({ value: parseJson(l.line, l.where), where: l.where }));
  }
  const out: StoredCheckpoint[] = [];
  for (const { value, where } of records) {
    const c = readCheckpoint(value, where);
    if (c) out.push(c);
  }
  return out.sort((a, b) => Number(a.seq) - Number(b.seq));
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckpointExportError(`${where} is not JSON`);
  }
}

function readCheckpoint(value: unknown, where: string): StoredCheckpoint | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CheckpointExportError(`${where} is not a JSON object`);
  const r = value as Record<string, unknown>;
  const isCheckpoint = r.record === CHECKPOINT_RECORD || (r.record === undefined && 'mac' in r);
  if (!isCheckpoint) {
    if (r.record === undefined && 'prevHash' in r) return null; // an event from the same stream
    throw new CheckpointExportError(`${where} is neither a checkpoint nor an audit event`);
  }
  const { seq, hash, createdAt, mac } = r;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0)
    throw new CheckpointExportError(`${where}: seq must be a non-negative integer`);
  if (typeof hash !== 'string' || typeof mac !== 'string')
    throw new CheckpointExportError(`${where}: hash and mac must be strings`);
  const at = typeof createdAt === 'string' && ISO_TIME.test(createdAt) ? new Date(createdAt) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new CheckpointExportError(`${where}: createdAt must be an ISO 8601 time`);
  return { seq: String(seq), hash, createdAtUs: microsOf(at), mac };
}
