import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/access-reviews.js';
import { callApi, processFixture, runCli, stopProcess } from '../support/processes.js';

// An access review from the command line against a real server: an admin starts a campaign over a group by
// name, its owner lists and decides their rows (one by id, the rest in bulk), the admin closes it and writes the
// report, whose CSV holds the decisions and what closing did.

const ADMIN_TOKEN = `latch_e2e_reviews_${'r'.repeat(40)}`;
const ENV = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
const fx = processFixture();
afterAll(() => fx.cleanup());

describe('latch reviews', () => {
  it('creates, lists, decides, closes a campaign and writes its report', async () => {
    const dir = fx.tempDir('latch-e2e-reviews-');
    const p = await fx.serve(dir, ENV);
    const api = async (method: string, path: string, body?: unknown, status = 201) => {
      const r = await callApi(p, ADMIN_TOKEN, method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
      return r.body as { id: string; token: string };
    };
    const user = (name: string) => api('POST', '/users', { email: `${name}@example.test`, name });
    const [alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map(user));
    const payments = await api('POST', '/groups', { name: 'payments', ownerUserIds: [alice!.id] });
    const eng = await api('POST', '/groups', { name: 'eng' });
    await api('POST', `/groups/${payments.id}/members`, { userId: bob!.id });
    await api('POST', `/groups/${payments.id}/members`, { userId: carol!.id });
    await api('POST', `/groups/${eng.id}/members`, { userId: dave!.id });
    await api('POST', `/groups/${eng.id}/assets`, { groupId: payments.id });
    const aliceToken = (await api('POST', `/users/${alice!.id}/tokens`, { name: 'reviews' })).token;

    const admin = (args: string[]) => runCli(args, { LATCH_URL: p.url, LATCH_TOKEN: ADMIN_TOKEN });
    const asAlice = (args: string[]) => runCli(args, { LATCH_URL: p.url, LATCH_TOKEN: aliceToken });

    const noScope = await admin(['reviews', 'create', 'Q3 payments', '--deadline', '14d']);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('say what to review');
    const badDeadline = await admin(['reviews', 'create', 'x', '--deadline', 'soon', '--group', 'payments']);
    expect(badDeadline.code).toBe(2);
    expect(badDeadline.stderr).toContain("--deadline: cannot read 'soon'");

    const created = await admin([
      'reviews',
      'create',
      'Q3 payments',
      '--deadline',
      '14d',
      '--group',
      'payments',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/started Q3 payments \(arv_[\w-]+\): 3 row\(s\), 3 needing a decision/);

    const list = await admin(['reviews', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/NAME\s+STATUS\s+DEADLINE\s+PROGRESS\s+ID/);
    expect(list.stdout).toMatch(/Q3 payments\s+open\s+\S+\s+0\/3\s+arv_/);

    // The owner's rows, in words: e-mails, the item and how each holds it.
    const rows = await asAlice(['reviews', 'rows', 'q3 payments', '--mine']);
    expect(rows.code, rows.stderr).toBe(0);
    const line = (email: string) => rows.stdout.split('\n').find((l) => l.includes(email))!;
    expect(line('bob@example.test')).toMatch(/^\d+\s+bob@example\.test\s+group payments\s+direct grant\s+-/);
    expect(line('carol@example.test')).toContain('direct grant');
    expect(line('dave@example.test')).toContain('member of eng');
    const rowId = (email: string) => line(email).split(/\s+/)[0]!;
    // One person's rows, one item's rows.
    const davesRows = await admin(['reviews', 'rows', 'Q3 payments', '--user', 'dave@example.test']);
    expect(davesRows.code, davesRows.stderr).toBe(0);
    expect(davesRows.stdout.trim().split('\n').slice(1)).toEqual([
      expect.stringContaining('dave@example.test'),
    ]);
    const onPayments = await admin(['reviews', 'rows', 'Q3 payments', '--group', 'payments']);
    expect(onPayments.stdout.trim().split('\n')).toHaveLength(4);
    const both = await admin(['reviews', 'rows', 'Q3 payments', '--group', 'payments', '--resource', 'x']);
    expect(both.code).toBe(2);

    const keep = await asAlice(['reviews', 'decide', 'Q3 payments', rowId('bob@example.test'), '--keep']);
    expect(keep.code, keep.stderr).toBe(0);
    expect(keep.stdout).toContain(`Q3 payments: keep on 1 row(s) (${rowId('bob@example.test')})`);

    const noComment = await asAlice([
      'reviews',
      'decide',
      'Q3 payments',
      rowId('carol@example.test'),
      '--revoke',
    ]);
    expect(noComment.code).toBe(2);
    expect(noComment.stderr).toContain('--revoke needs --comment TEXT saying why the access is revoked');
    const revoke = await asAlice([
      'reviews',
      'decide',
      'Q3 payments',
      rowId('carol@example.test'),
      '--revoke',
      '--comment',
      'left the payments team',
    ]);
    expect(revoke.code, revoke.stderr).toBe(0);

    // The server's problem, as it says it: a row that does not exist.
    const missing = await asAlice(['reviews', 'decide', 'Q3 payments', '999', '--keep']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("latch: access review row '999' was not found (404 not_found)");

    const undecided = await asAlice(['reviews', 'rows', 'Q3 payments', '--mine', '--undecided']);
    expect(undecided.stdout).toContain('dave@example.test');
    expect(undecided.stdout).not.toContain('bob@example.test');
    const bulk = await asAlice(['reviews', 'decide', 'Q3 payments', '--all-undecided', '--keep']);
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain('keep on 1 row(s)');
    expect((await admin(['reviews', 'list'])).stdout).toMatch(/Q3 payments\s+open\s+\S+\s+3\/3/);

    // Closing asks first; without a terminal it needs --yes.
    const unconfirmed = await admin(['reviews', 'close', 'Q3 payments']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('give --yes');
    const notAllowed = await asAlice(['reviews', 'close', 'Q3 payments', '--yes']);
    expect(notAllowed.code).toBe(1);
    expect(notAllowed.stderr).toMatch(/\(403 forbidden\)/);
    const closed = await admin(['reviews', 'close', 'Q3 payments', '--yes']);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/closed Q3 payments: .*1 revoked/);
    expect(closed.stdout).toContain('2 kept');
    const check = await callApi(
      p,
      ADMIN_TOKEN,
      'GET',
      `/access/check?userId=${carol!.id}&groupId=${payments.id}`,
    );
    expect(check.body.allowed).toBe(false);
    const late = await asAlice(['reviews', 'decide', 'Q3 payments', rowId('bob@example.test'), '--keep']);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('is closed: its decisions are final (409 conflict)');

    const file = join(dir, 'q3.csv');
    const report = await admin(['reviews', 'report', 'Q3 payments', '--output', file]);
    expect(report.code, report.stderr).toBe(0);
    const [header, ...lines] = parseCsv(readFileSync(file, 'utf8'));
    expect(header).toEqual([
      'user_email',
      'item_type',
      'item_name',
      'access_level',
      'path',
      'reviewer_emails',
      'decision',
      'keep_until',
      'decided_by',
      'decided_at',
      'comment',
      'effect',
    ]);
    const byUser = new Map(lines.map((l) => [l[0], Object.fromEntries(header!.map((h, i) => [h, l[i]]))]));
    expect(byUser.get('bob@example.test')).toMatchObject({ decision: 'keep', effect: 'kept' });
    expect(byUser.get('carol@example.test')).toMatchObject({
      decision: 'revoke',
      decided_by: 'alice@example.test',
      comment: 'left the payments team',
      effect: 'revoked',
    });
    expect(byUser.get('dave@example.test')).toMatchObject({
      decision: 'keep',
      reviewer_emails: 'alice@example.test',
    });
    const again = await admin(['reviews', 'report', 'Q3 payments', '--output', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; give --force');

    const html = await admin(['reviews', 'report', 'Q3 payments', '--format', 'html']);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    expect(html.stdout).toContain('Q3 payments');

    const unknown = await admin(['reviews', 'report', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("latch: no access review campaign named 'nope'");
    await stopProcess(p);
  }, 180_000);
});
