import { afterAll, describe, expect, it } from 'vitest';
import { callApi, processFixture, runCli, stopProcess, type LatchProcess } from '../support/processes.js';

// Break-glass as an operator meets it: a real server process on a data directory, SIGKILL right after the
// 201, and the `latch break-glass` client commands.

const ADMIN_TOKEN = `latch_e2e_bg_${'b'.repeat(40)}`;
const ENV = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
const fx = processFixture();
afterAll(() => fx.cleanup());
const serve = (dataDir: string) => fx.serve(dataDir, ENV);
const api = (p: LatchProcess, method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
  callApi(p, token, method, path, body);

async function created(p: LatchProcess, path: string, body: unknown) {
  const res = await api(p, 'POST', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe('break-glass on a real server', () => {
  it('keeps an acknowledged activation, its grant and its event across SIGKILL right after the 201', async () => {
    const dir = fx.tempDir('latch-e2e-bg-');
    const first = await serve(dir);
    const me = (await api(first, 'GET', '/me')).body as { id: string };
    const group = await created(first, '/groups', { name: 'prod-db' });
    const replicas = await created(first, '/groups', { name: 'prod-db-replicas' });
    await created(first, `/groups/${group.id}/assets`, { groupId: replicas.id });
    expect(
      (await api(first, 'PUT', `/groups/${group.id}/break-glass`, { userIds: [me.id], durationMinutes: 30 }))
        .status,
    ).toBe(200);

    const activation = await api(first, 'POST', `/groups/${group.id}/break-glass/activations`, {
      reason: 'INC-9: primary down',
    });
    expect(activation.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;
    const { id, grantId } = activation.body as { id: string; grantId: string };

    const second = await serve(dir);
    expect((await api(second, 'GET', `/break-glass/activations/${id}`)).body).toMatchObject({
      status: 'active',
      grantId,
      reason: 'INC-9: primary down',
    });
    expect((await api(second, 'GET', `/grants/${grantId}`)).body).toMatchObject({
      source: 'break_glass',
      status: 'active',
    });
    expect(
      (await api(second, 'GET', `/events?type=break_glass.activated&subjectId=${id}`)).body.items,
    ).toHaveLength(1);
    for (const groupId of [group.id, replicas.id]) {
      const check = await api(second, 'GET', `/access/check?userId=${me.id}&groupId=${groupId}`);
      expect(check.body).toMatchObject({ allowed: true, via: [{ grantId, source: 'break_glass' }] });
    }
    expect((await api(second, 'GET', '/events/verify')).body.ok).toBe(true);
    await stopProcess(second);
  }, 120_000);

  it('drives break-glass from the CLI: configure, activate with what it unlocked, list, end, review', async () => {
    const dir = fx.tempDir('latch-e2e-bg-');
    const p = await serve(dir);
    const env = { LATCH_URL: p.url, LATCH_TOKEN: ADMIN_TOKEN };
    const group = await created(p, '/groups', { name: 'payments' });
    const nested = await created(p, '/groups', { name: 'payments-ledger' });
    const resource = await created(p, '/resources', {
      name: 'payments-db',
      type: 'postgres',
      accessLevels: ['read', 'admin'],
    });
    await created(p, `/groups/${group.id}/assets`, { groupId: nested.id });
    await created(p, `/groups/${nested.id}/assets`, { resourceId: resource.id, accessLevel: 'admin' });
    await created(p, '/groups', { name: 'unrelated' });

    const configured = await runCli(
      ['break-glass', 'configure', 'payments', '--user', 'me', '--duration', '45'],
      env,
    );
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.stdout).toContain('45 minutes');

    const missingReason = await runCli(['break-glass', 'payments'], env);
    expect(missingReason.code).toBe(1);
    expect(missingReason.stderr).toContain('reason_required');

    const out = await runCli(['break-glass', 'payments', '--reason', 'INC-12: ledger stuck'], env);
    expect(out.code, out.stderr).toBe(0);
    const expiry = /access until (\S+)/.exec(out.stdout)?.[1];
    expect(expiry).toBeDefined();
    expect(Date.parse(expiry!) - Date.now()).toBeGreaterThan(40 * 60_000);
    expect(out.stdout).toContain(`group payments (${group.id})`);
    expect(out.stdout).toContain(`group payments-ledger (${nested.id})`);
    expect(out.stdout).toContain(`resource payments-db:admin (${resource.id})`);
    expect(out.stdout).not.toContain('unrelated');

    const again = await runCli(
      ['break-glass', 'activate', 'payments', '--reason', 'still stuck', '--json'],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as {
      activation: { id: string; grantId: string };
      unlocked: unknown[];
    };
    expect(json.unlocked).toHaveLength(3);

    const active = await runCli(['break-glass', 'list', '--active', '--json'], env);
    expect((JSON.parse(active.stdout) as { id: string }[]).map((a) => a.id)).toEqual([json.activation.id]);
    const table = await runCli(['break-glass', 'list', '--review', 'pending'], env);
    expect(table.stdout).toMatch(/ID\s+GROUPID/);
    expect(table.stdout).toContain('superseded');

    const ended = await runCli(['break-glass', 'end', json.activation.id, '--reason', 'ledger fixed'], env);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain('(ledger fixed)');
    const me = (await api(p, 'GET', '/me')).body as { id: string };
    expect((await api(p, 'GET', `/access/check?userId=${me.id}&groupId=${group.id}`)).body.allowed).toBe(
      false,
    );

    const self = await runCli(
      ['break-glass', 'review', json.activation.id, 'justified', '--comment', 'trust me'],
      env,
    );
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('self_review_forbidden');
    const reviewer = await created(p, '/users', {
      email: 'reviewer@example.test',
      name: 'Reviewer',
      role: 'admin',
    });
    const token = (
      (await api(p, 'POST', `/users/${reviewer.id}/tokens`, { name: 'cli' })).body as { token: string }
    ).token;
    const reviewed = await runCli(
      ['break-glass', 'review', json.activation.id, 'justified', '--comment', 'real incident'],
      { ...env, LATCH_TOKEN: token },
    );
    expect(reviewed.code, reviewed.stderr).toBe(0);
    expect(reviewed.stdout).toContain('justified');
    await stopProcess(p);
  }, 180_000);
});
