import { afterAll, describe, expect, it } from 'vitest';
import { callApi, processFixture, runCli, stopProcess } from '../support/processes.js';

// On-call from the command line against a real server: add a rotation, ask who is on call, make a group
// follow it, and see the group's member and a failing sync's exit status.

const ADMIN_TOKEN = `latch_e2e_oncall_${'c'.repeat(40)}`;
// The failing feed below is on loopback, which the server calls only when allowed.
const ENV = {
  LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
  LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  LATCH_OUTBOUND_ALLOW: '127.0.0.1',
};
const fx = processFixture();
afterAll(() => fx.cleanup());

describe('latch on-call', () => {
  it('creates a rotation, answers who is on call, makes a group follow it and reports a failed sync', async () => {
    const p = await fx.serve(fx.tempDir('latch-e2e-oncall-'), ENV);
    const env = { LATCH_URL: p.url, LATCH_TOKEN: ADMIN_TOKEN };
    const me = (await callApi(p, ADMIN_TOKEN, 'GET', '/me')).body as { id: string };
    const start = '2026-01-05T09:00:00Z';
    const config = JSON.stringify({
      timezone: 'Europe/Berlin',
      layers: [{ start, shiftMinutes: 10080, userIds: [me.id] }],
    });

    const created = await runCli(
      ['on-call', 'create', 'primary', '--provider', 'builtin', '--config', config, '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const schedule = JSON.parse(created.stdout) as { id: string; syncStatus: string };
    expect(schedule.syncStatus).toBe('ok');

    const who = await runCli(['on-call', 'who', schedule.id, '--at', '2026-01-06T00:00:00Z'], env);
    expect(who.stdout).toContain(me.id);
    const before = await runCli(['on-call', 'who', schedule.id, '--at', '2026-01-05T08:59:59Z'], env);
    expect(before.stdout).toContain('nobody is on call');

    await callApi(p, ADMIN_TOKEN, 'POST', '/groups', { name: 'on-call-primary' });
    const follow = await runCli(['on-call', 'follow', 'on-call-primary', schedule.id, '--grace', '15'], env);
    expect(follow.code, follow.stderr).toBe(0);
    expect(follow.stdout).toContain('grace 15 min');
    const members = await runCli(['groups', 'members', 'on-call-primary', '--json'], env);
    expect(members.code, members.stderr).toBe(0);
    expect(JSON.parse(members.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: me.id })]),
    );

    const feed = await runCli(
      [
        'on-call',
        'create',
        'calendar',
        '--provider',
        'ical',
        '--config',
        '{"url":"http://127.0.0.1:9/none.ics"}',
      ],
      env,
    );
    expect(feed.code, feed.stderr).toBe(0);
    const list = await runCli(['on-call', 'list', '--json'], env);
    const calendar = (JSON.parse(list.stdout) as { id: string; name: string }[]).find(
      (s) => s.name === 'calendar',
    )!;
    const sync = await runCli(['on-call', 'sync', calendar.id], env);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toMatch(/calendar: error: .+/);
    // Never fetched: who is on call is not known, unless an admin asks the provider itself.
    const unknown = await runCli(['on-call', 'who', calendar.id], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('is not known');
    const live = await runCli(['on-call', 'who', calendar.id, '--live'], env);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('could not be read');

    const bad = await runCli(
      ['on-call', 'create', 'broken', '--provider', 'builtin', '--config', '{nope'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not valid JSON');
    await stopProcess(p);
  }, 120_000);
});
