import { describe, expect, it } from 'vitest';
import {
  CheckpointExportError,
  checkpointRecord,
  parseCheckpointExport,
  toCheckpoint,
} from './audit-checkpoint-records.js';

const stored = (seq: number) => ({
  seq: String(seq),
  hash: `${seq}`.padStart(64, '0'),
  createdAtUs: String(1767225600123000 + seq * 1000),
  mac: 'f'.repeat(64),
});
const sent = (seq: number) => JSON.stringify(checkpointRecord(toCheckpoint(stored(seq))));
const event = JSON.stringify({ id: 'evt_1', seq: 3, type: 'user.created', hash: 'a', prevHash: 'b' });

describe('checkpoint exports', () => {
  it('reads back what the stream sent, as JSON lines or an array, skipping events and sorting by seq', () => {
    expect(parseCheckpointExport(`${sent(9)}\n${event}\n\n${sent(4)}\n`)).toEqual([stored(4), stored(9)]);
    expect(parseCheckpointExport(`[${sent(9)}, ${event}, ${sent(4)}]`)).toEqual([stored(4), stored(9)]);
    const page = { items: [toCheckpoint(stored(7))], nextCursor: null };
    expect(parseCheckpointExport(JSON.stringify(page))).toEqual([stored(7)]);
  });

  it('names the line or record that is not a checkpoint', () => {
    const bad: [string, RegExp][] = [
      [`${sent(1)}\nnot json`, /line 2 is not JSON/],
      [`${sent(1)}\n[1]`, /line 2 is not a JSON object/],
      [
        '{"record":"audit.checkpoint","seq":-1,"hash":"a","createdAt":"2026-01-01T00:00:00Z","mac":"b"}',
        /seq/,
      ],
      [
        '[{"record":"audit.checkpoint","seq":1,"hash":"a","createdAt":"yesterday","mac":"b"}]',
        /record 1: createdAt/,
      ],
      [
        '{"record":"audit.checkpoint","seq":1,"hash":2,"createdAt":"2026-01-01T00:00:00Z","mac":"b"}',
        /hash and mac/,
      ],
      ['{"hello":"world"}', /line 1 is neither a checkpoint nor an audit event/],
    ];
    for (const [text, message] of bad) expect(() => parseCheckpointExport(text)).toThrow(message);
    expect(() => parseCheckpointExport('[oops')).toThrow(CheckpointExportError);
  });
});
