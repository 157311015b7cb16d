import { afterAll, describe, expect, it } from 'vitest';
import { callApi, processFixture, runCli, stopProcess } from '../support/processes.js';

// Handing review rows over from the command line against a real server: a group's owner hands their rows in a
// campaign to a colleague by e-mail for three days, the colleague lists and decides them, the owner takes them
// back, and the colleague's list is empty again.

const ADMIN_TOKEN = `latch_e2e_delegation_${'d'.repeat(40)}`;
const ENV = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
const fx = processFixture();
afterAll(() => fx.cleanup());

describe('latch reviews delegate and undelegate', () => {
  it("hands a reviewer's rows to someone else and takes them back", async () => {
    const p = await fx.serve(fx.tempDir('latch-e2e-delegation-'), ENV);
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await callApi(p, ADMIN_TOKEN, method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(201);
      return r.body as { id: string; token: string };
    };
    const user = (name: string) => api('POST', '/users', { email: `${name}@example.test`, name });
    const [alice, bob, carol, dana] = await Promise.all(['alice', 'bob', 'carol', 'dana'].map(user));
    const payments = await api('POST', '/groups', { name: 'payments', ownerUserIds: [alice!.id] });
    await api('POST', `/groups/${payments.id}/members`, { userId: bob!.id });
    await api('POST', `/groups/${payments.id}/members`, { userId: carol!.id });
    const token = async (u: { id: string }) =>
      (await api('POST', `/users/${u.id}/tokens`, { name: 'e2e' })).token;
    const [aliceToken, danaToken] = await Promise.all([token(alice!), token(dana!)]);

    const cli = (t: string) => (args: string[]) => runCli(args, { LATCH_URL: p.url, LATCH_TOKEN: t });
    const admin = cli(ADMIN_TOKEN);
    const asAlice = cli(aliceToken);
    const asDana = cli(danaToken);

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
    const campaignId = /\((arv_[\w-]+)\)/.exec(created.stdout)![1]!;

    // A time already past is refused before anything is sent.
    const past = await asAlice([
      'reviews',
      'delegate',
      'Q3 payments',
      '--to',
      'dana@example.test',
      '--until',
      '2020-01-01',
    ]);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('latch: --until: 2020-01-01T00:00:00.000Z has passed');

    const handed = await asAlice([
      'reviews',
      'delegate',
      'Q3 payments',
      '--to',
      'dana@example.test',
      '--until',
      '3d',
    ]);
    expect(handed.code, handed.stderr).toBe(0);
    expect(handed.stdout).toMatch(
      /^alice@example\.test's rows in "Q3 payments" go to dana@example\.test until \d{4}-\d\d-\d\dT[\d:.]+Z\n$/,
    );
    const until = Date.parse(/until (\S+)/.exec(handed.stdout)![1]!);
    expect(Math.abs(until - (Date.now() + 3 * 86_400_000))).toBeLessThan(120_000);

    // The delegate now reviews the owner's rows as their own.
    const rows = await asDana(['reviews', 'rows', 'Q3 payments', '--mine']);
    expect(rows.code, rows.stderr).toBe(0);
    const line = (email: string) => rows.stdout.split('\n').find((l) => l.includes(email));
    expect(line('bob@example.test')).toMatch(/^\d+\s+bob@example\.test\s+group payments\s+direct grant\s+-/);
    expect(line('carol@example.test')).toBeDefined();
    const bobRow = line('bob@example.test')!.split(/\s+/)[0]!;
    const keep = await asDana(['reviews', 'decide', 'Q3 payments', bobRow, '--keep']);
    expect(keep.code, keep.stderr).toBe(0);
    expect(keep.stdout).toContain(`Q3 payments: keep on 1 row(s) (${bobRow})`);

    // The delegate decides the rows handed to them but does not hand them on: they are not theirs.
    const notTheirs = await asDana([
      'reviews',
      'delegate',
      'Q3 payments',
      '--from',
      'alice@example.test',
      '--to',
      'bob@example.test',
      '--until',
      '1d',
    ]);
    expect(notTheirs.code).toBe(1);
    expect(notTheirs.stderr).toMatch(/\(403 forbidden\)/);

    const ended = await asAlice(['reviews', 'undelegate', 'Q3 payments', '--json']);
    expect(ended.code, ended.stderr).toBe(0);
    const json = JSON.parse(ended.stdout) as { fromUserId: string; toUserId: string; until: string };
    expect(json).toMatchObject({ fromUserId: alice!.id, toUserId: dana!.id });
    expect(Date.parse(json.until)).toBeLessThanOrEqual(Date.now());

    // Nothing is the delegate's to review any more: an admin sees no rows of theirs, and to them the campaign,
    // in which they have no rows of their own, no longer shows.
    const none = await admin(['reviews', 'rows', 'Q3 payments', '--reviewer', 'dana@example.test']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout.trim()).toBe('no rows');
    const gone = await asDana(['reviews', 'rows', 'Q3 payments', '--mine']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("latch: no access review campaign named 'Q3 payments'");

    // The decision the delegate made stays.
    const own = await asAlice(['reviews', 'rows', 'Q3 payments', '--mine']);
    expect(own.stdout.split('\n').find((l) => l.includes('bob@example.test'))).toMatch(
      /direct grant\s+keep\s/,
    );

    const again = await asAlice(['reviews', 'undelegate', 'Q3 payments']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('latch: no rows of alice@example.test are handed over in "Q3 payments"\n');

    // Admins hand over anyone's rows, and end the handover in words.
    const byAdmin = await admin([
      'reviews',
      'delegate',
      'Q3 payments',
      '--from',
      'alice@example.test',
      '--to',
      dana!.id,
      '--until',
      '2d',
    ]);
    expect(byAdmin.code, byAdmin.stderr).toBe(0);
    expect(byAdmin.stdout).toContain(
      `alice@example.test's rows in "Q3 payments" go to dana@example.test until`,
    );
    const endedByAdmin = await admin(['reviews', 'undelegate', campaignId, '--from', 'alice@example.test']);
    expect(endedByAdmin.code, endedByAdmin.stderr).toBe(0);
    expect(endedByAdmin.stdout).toBe(
      `alice@example.test's rows in "Q3 payments" are no longer handed over to dana@example.test: ` +
        'alice@example.test decides them again\n',
    );

    // A reviewer does not hand their rows to themselves.
    const self = await asAlice(['reviews', 'delegate', 'Q3 payments', '--to', 'me', '--until', '1d']);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('--to is alice@example.test, whose rows these are');

    // A closed campaign's rows are final: nothing more is handed over.
    expect((await admin(['reviews', 'close', 'Q3 payments', '--yes'])).code).toBe(0);
    const closed = await asAlice([
      'reviews',
      'delegate',
      'Q3 payments',
      '--to',
      'dana@example.test',
      '--until',
      '1d',
    ]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(
      /^latch: "Q3 payments" is closed \(at \S+\): its rows are no longer handed over/,
    );
    await stopProcess(p);
  }, 180_000);
});
