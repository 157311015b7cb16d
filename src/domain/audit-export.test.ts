import { describe, expect, it } from 'vitest';
import { csvLine, eventCsvLine, eventJsonLine, type NamedEvent } from './audit-export.js';

const event = (data: unknown): NamedEvent => ({
  id: 'evt_1',
  seq: 7,
  type: 'break_glass.activated',
  actorId: 'usr_a',
  subjects: [
    { type: 'user', id: 'usr_a' },
    { type: 'group', id: 'grp_1' },
  ],
  data,
  createdAt: '2026-12-04T10:00:00.000Z',
  prevHash: 'p',
  hash: 'h',
  actor: { id: 'usr_a', name: 'Alice', email: 'alice@example.test' },
  subjectNames: { usr_a: 'Alice', grp_1: 'prod-db' },
});

describe('exporting the audit log', () => {
  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe(
      '"a,b","say ""hi""","two\nlines",plain\r\n',
    );
  });

  it('keeps spreadsheet formulas from running', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@cmd'])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@cmd\r\n`);
  });

  it('writes names beside ids, in CSV and in JSON lines', () => {
    const line = eventCsvLine(event({ reason: 'pager 4411' }));
    expect(line).toContain('user:usr_a (Alice); group:grp_1 (prod-db)');
    expect(line).toContain('Alice,alice@example.test');
    const json = JSON.parse(eventJsonLine(event({ reason: 'pager' })));
    expect(json.subjects).toEqual([
      { type: 'user', id: 'usr_a', name: 'Alice' },
      { type: 'group', id: 'grp_1', name: 'prod-db' },
    ]);
    expect(json.actor.email).toBe('alice@example.test');
  });
});
