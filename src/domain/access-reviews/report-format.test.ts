import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  reportCsvHeader,
  reportCsvLine,
  reportHtmlRow,
  reportHtmlStart,
  type ReportLine,
} from './report-format.js';

const line: ReportLine = {
  userEmail: 'ann@example.test',
  itemType: 'resource',
  itemName: 'prod, "main"',
  accessLevel: 'read',
  path: ['ops', 'prod, "main"'],
  reviewerEmails: ['bob@example.test', 'cy@example.test'],
  decision: 'revoke',
  keepUntil: null,
  decidedBy: 'bob@example.test',
  decidedAt: '2030-01-01T00:00:00.000Z',
  comment: '=HYPERLINK("http://evil")\nsecond line',
  effect: '-1 revoked',
};

describe('the report as CSV', () => {
  it('has the fixed header', () => {
    expect(reportCsvHeader()).toBe(
      'user_email,item_type,item_name,access_level,path,reviewer_emails,decision,keep_until,decided_by,decided_at,comment,effect\r\n',
    );
  });

  it('quotes what needs quoting and defuses formulas', () => {
    expect(reportCsvLine(line)).toBe(
      'ann@example.test,resource,"prod, ""main""",read,"ops > prod, ""main""",bob@example.test; cy@example.test,' +
        'revoke,,bob@example.test,2030-01-01T00:00:00.000Z,"\'=HYPERLINK(""http://evil"")\nsecond line",\'-1 revoked\r\n',
    );
    for (const lead of ['=', '+', '-', '@'])
      expect(reportCsvLine({ ...line, userEmail: `${lead}x`, comment: null, effect: null })).toMatch(
        new RegExp(`^'\\${lead}x,`),
      );
  });
});

describe('the report as a page', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const row = reportHtmlRow({ ...line, itemName: '<script>alert(1)</script>' });
    expect(row).not.toContain('<script>');
    expect(row).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const start = reportHtmlStart({
      name: '<b>Q1</b>',
      status: 'open',
      deadline: '2030-01-01T00:00:00.000Z',
      closedAt: null,
      total: 3,
      decided: 1,
    });
    expect(start).toContain('Access review: &lt;b&gt;Q1&lt;/b&gt;');
    expect(start).not.toContain('<b>Q1');
  });
});
