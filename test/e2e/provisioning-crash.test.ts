import { afterAll, describe, expect, it } from 'vitest';
import { pgAvailable } from '../support/pg-cluster.js';
import { startPgTarget, type PgTarget } from '../support/pg-target.js';
import { callApi, processFixture, type LatchProcess } from '../support/processes.js';

// A real server process killed with SIGKILL after a grant was committed and before the role could be granted
// in the target (which is down): the operation is in the database, and the next server applies it.

const ADMIN_TOKEN = `latch_e2e_prov_${'p'.repeat(40)}`;
const ENV = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
const fx = processFixture();
let target: PgTarget | undefined;
afterAll(async () => {
  await target?.stop();
  await fx.cleanup();
});
const api = (p: LatchProcess, method: string, path: string, body?: unknown) =>
  callApi(p, ADMIN_TOKEN, method, path, body);

async function ok(p: LatchProcess, method: string, path: string, body: unknown, status: number) {
  const res = await api(p, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as { id: string };
}

describe.skipIf(!pgAvailable())('provisioning across a crash', () => {
  it('applies after a restart a grant committed before SIGKILL while the target was down', async () => {
    target = await startPgTarget();
    await target.role('crash_role');
    const dir = fx.tempDir('latch-e2e-prov-');
    const first = await fx.serve(dir, ENV);
    const user = await ok(first, 'POST', '/users', { email: 'dana@example.test', name: 'Dana' }, 201);
    await target.account('dana');
    const connection = await ok(
      first,
      'POST',
      '/connections',
      {
        name: 'prod',
        kind: 'postgres',
        config: target.config,
        secrets: target.secrets,
        mode: 'report',
        accountRule: { type: 'emailLocalPart' },
      },
      201,
    );
    const group = await ok(first, 'POST', '/groups', { name: 'prod-readers' }, 201);
    await ok(
      first,
      'PATCH',
      `/groups/${group.id}`,
      { remote: { connectionId: connection.id, remoteId: 'crash_role' } },
      200,
    );

    target.cluster.pause();
    await ok(first, 'POST', `/groups/${group.id}/members`, { userId: user.id }, 201);
    // The server tries, fails against the stopped target, and is killed before it could succeed.
    await expect
      .poll(async () => (await api(first, 'GET', `/access/check?userId=${user.id}&groupId=${group.id}`)).body)
      .toMatchObject({ allowed: true, propagation: { status: 'failed' } });
    first.child.kill('SIGKILL');
    await first.exited;
    target.cluster.resume();
    expect(await target.isMember('crash_role', 'dana')).toBe(false);

    const second = await fx.serve(dir, ENV);
    await expect.poll(() => target!.isMember('crash_role', 'dana'), { timeout: 15_000 }).toBe(true);
    await target.sessionWithRole('dana', 'crash_role');
    await expect
      .poll(
        async () => (await api(second, 'GET', `/access/check?userId=${user.id}&groupId=${group.id}`)).body,
      )
      .toMatchObject({ propagation: { status: 'synced' } });
  }, 120_000);
});
