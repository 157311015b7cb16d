import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyText } from '../../src/keys/key-material.js';
import { openEmbedded } from '../../src/store/connection.js';
import { truncateAfter } from '../support/audit-tamper.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { callApi, freePort, processFixture, runCli, spawnLatch, stopProcess } from '../support/processes.js';

// `latch audit verify` as an operator meets it: a server on an embedded data directory streams its audit log to
// a SIEM, is stopped, the database is tampered with directly, and the CLI, with the key from the data directory
// and the SIEM's copy of the checkpoints, tells what happened.

const TOKEN = `latch_e2e_${'a'.repeat(40)}`;
const ENV = {
  LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
  LATCH_BOOTSTRAP_ADMIN_TOKEN: TOKEN,
  // The SIEM stand-in listens on loopback.
  LATCH_OUTBOUND_ALLOW: '127.0.0.1',
};
const fx = processFixture();
let siem: CaptureServer;
beforeAll(async () => {
  siem = await startCaptureServer();
});
afterAll(async () => {
  await fx.cleanup();
  await siem.close();
});

const verify = (dir: string, ...args: string[]) => runCli(['audit', 'verify', '--data-dir', dir, ...args]);

async function tamper(
  dir: string,
  change: (db: Awaited<ReturnType<typeof openEmbedded>>['db']) => Promise<void>,
) {
  const store = await openEmbedded(dir);
  try {
    await change(store.db);
  } finally {
    await store.close();
  }
}

describe('latch audit verify', () => {
  it('passes an intact log and fails a tampered one, with the SIEM copy catching a truncation nothing else shows', async () => {
    const dir = fx.tempDir();
    const first = await fx.serve(dir, ENV);
    const channel = await callApi(first, TOKEN, 'POST', '/notification-channels', {
      name: 'siem',
      type: 'webhook',
      config: { url: `${siem.url}/siem`, secrets: ['whsec_e2e_0123456789abcdef'] },
      allEvents: true,
    });
    expect(channel.status).toBe(201);
    for (let i = 0; i < 4; i++)
      expect(
        (await callApi(first, TOKEN, 'POST', '/users', { email: `u${i}@example.test`, name: `U ${i}` }))
          .status,
      ).toBe(201);
    const head = (await callApi(first, TOKEN, 'GET', '/events?order=desc&limit=1')).body.items[0]
      .seq as number;
    await stopProcess(first);

    // The next start checkpoints the head, and the stream takes the checkpoint to the SIEM.
    const second = await fx.serve(dir, ENV);
    const streamed = () =>
      siem.at('/siem').map((r) => JSON.parse(r.body) as { record?: string; seq: number });
    for (let i = 0; !streamed().some((r) => r.record === 'audit.checkpoint' && r.seq === head); i++) {
      if (i > 400) throw new Error('no checkpoint reached the SIEM');
      await new Promise((r) => setTimeout(r, 25));
    }
    await stopProcess(second);
    const siemFile = join(fx.tempDir(), 'siem.jsonl');
    writeFileSync(
      siemFile,
      siem
        .at('/siem')
        .map((r) => `${r.body}\n`)
        .join(''),
    );

    // Each start checkpointed the head: the first before the SIEM was added, the second after.
    const clean = await verify(dir, '--checkpoints', siemFile);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(
      new RegExp(`^ok: ${head} events verified in .*, through 2 stored and 1 external checkpoints`),
    );

    // Delete the newest events, move the head back and delete the checkpoint rows that covered them.
    await tamper(dir, async (db) => {
      await truncateAfter(db, head - 2);
      await sql`delete from audit_checkpoints where seq > ${head - 2}`.execute(db);
    });
    expect((await verify(dir)).code).toBe(0); // nothing left in the database disagrees
    const cut = await verify(dir, '--checkpoints', siemFile);
    expect(cut.code).toBe(3);
    expect(cut.stdout).toContain(
      `TAMPERED: first bad seq ${head - 1} (truncated: a signed checkpoint lies beyond`,
    );
    expect(cut.stderr).toContain('latch: audit chain verification failed');

    await tamper(dir, async (db) => {
      await sql`update events set data = jsonb_set(data, '{name}', '"Mallory"') where seq = 3`.execute(db);
    });
    const edited = await verify(dir, '--json');
    expect(edited.code).toBe(3);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'mac_mismatch' });
  }, 120_000);

  it('refuses the wrong key, in the CLI and at start-up, without printing it', async () => {
    const dir = fx.tempDir();
    await stopProcess(await fx.serve(dir, ENV));
    const wrong = generateKeyText();
    const cli = await runCli(['audit', 'verify', '--data-dir', dir], { LATCH_AUDIT_KEY: wrong });
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain('the audit key is not the one this log was sealed with');
    const server = spawnLatch(['serve', '--port', String(await freePort()), '--data-dir', dir], {
      LATCH_AUDIT_KEY: wrong,
    });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(/latch: the audit key is not the one this audit log was sealed with/);
    expect(server.output()).not.toContain(wrong);
  }, 60_000);

  it('says when a checkpoints file cannot be read', async () => {
    const dir = fx.tempDir();
    const file = join(dir, 'not-checkpoints.jsonl');
    writeFileSync(file, '{"hello":"world"}\n');
    const res = await verify(dir, '--checkpoints', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`--checkpoints ${file}: line 1 is neither a checkpoint nor an audit event`);
  });
});
