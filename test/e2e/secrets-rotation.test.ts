import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyText } from '../../src/keys/key-material.js';
import { startCaptureServer } from '../support/capture-server.js';
import { startFeedServer } from '../support/feed-server.js';
import { callApi, processFixture, runCli, stopProcess, type LatchProcess } from '../support/processes.js';

// Rotating the secret key as an operator does: stop the server, run `latch secrets rotate-key`, start it again.

const ADMIN_TOKEN = `latch_e2e_secrets_${'s'.repeat(40)}`;
const ENV = {
  LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
  LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  LATCH_OUTBOUND_ALLOW: '127.0.0.1',
};
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n';
const fx = processFixture();
afterAll(() => fx.cleanup());

describe('latch secrets rotate-key', () => {
  it('re-seals every secret under the new key of a stopped data directory, after which only that key opens them', async () => {
    const capture = await startCaptureServer();
    const feed = await startFeedServer();
    feed.set(200, ICS);
    try {
      const dir = fx.tempDir('latch-e2e-secrets-');
      const keyPath = join(dir, 'secret.key');
      let p: LatchProcess = await fx.serve(dir, ENV);
      const api = (method: string, path: string, body?: unknown) =>
        callApi(p, ADMIN_TOKEN, method, path, body);
      const channel = await api('POST', '/notification-channels', {
        name: 'siem',
        type: 'webhook',
        config: {
          url: `${capture.url}/hook?token=rotation-test-token`,
          secrets: ['whsec_rotation_test_0001'],
        },
      });
      expect(channel.status, JSON.stringify(channel.body)).toBe(201);
      const schedule = await api('POST', '/on-call-schedules', {
        name: 'feed',
        provider: 'ical',
        config: { url: `${feed.url}/private/rotation-feed-token.ics` },
      });
      expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
      const works = async () => {
        expect((await api('POST', `/notification-channels/${channel.body.id}/test`)).body).toEqual({
          delivered: true,
          error: null,
        });
        expect((await api('POST', `/on-call-schedules/${schedule.body.id}/sync`)).body.syncStatus).toBe('ok');
      };
      await works();

      const newKeyFile = join(fx.tempDir('latch-e2e-newkey-'), 'new.key');
      const generated = await runCli(['keys', 'generate']);
      writeFileSync(newKeyFile, generated.stdout, { mode: 0o600 });
      const rotate = (env: Record<string, string> = {}) =>
        runCli(['secrets', 'rotate-key', '--new-key-file', newKeyFile, '--data-dir', dir, '--json'], env);

      // Not while the server runs on the directory.
      const running = await rotate();
      expect(running.code).toBe(1);
      expect(running.stderr).toMatch(/in use by another Latch process/);
      await stopProcess(p);
      const oldKey = readFileSync(keyPath, 'utf8');

      // Under a wrong current key, nothing changes.
      const wrong = await rotate({ LATCH_SECRET_KEY: generateKeyText() });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(
        /refused: 2 of 2 stored secrets do not open under the secret key in use .*nothing was changed.*the secret key does not match/,
      );
      expect(readFileSync(keyPath, 'utf8')).toBe(oldKey);

      const done = await rotate();
      expect(done.code, done.stderr).toBe(0);
      const result = JSON.parse(done.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ notificationChannels: 1, onCallSchedules: 1, keyFileReplaced: keyPath });
      expect(result.next).toMatch(/now holds the new key: start the server as usual/);
      expect(readFileSync(keyPath, 'utf8').trim()).toBe(generated.stdout.trim());
      expect(statSync(keyPath).mode & 0o777).toBe(0o600);

      // The old key no longer opens them, and says so.
      p = await fx.serve(dir, { ...ENV, LATCH_SECRET_KEY: oldKey.trim() });
      const refused = await api('POST', `/notification-channels/${channel.body.id}/test`);
      expect(refused.body.delivered).toBe(false);
      expect(refused.body.error).toMatch(/^the secret key does not match/);
      const failed = await api('POST', `/on-call-schedules/${schedule.body.id}/sync`);
      expect(failed.body.syncError).toMatch(/^the secret key does not match/);
      await stopProcess(p);

      // Started as usual, with the new key in the key file, it delivers and fetches with the re-sealed secrets.
      p = await fx.serve(dir, ENV);
      await works();
      expect(capture.at('/hook?token=rotation-test-token').length).toBeGreaterThanOrEqual(2);
      const rotated = await api('GET', '/events?type=secrets.rotated');
      expect(rotated.body.items).toHaveLength(1);
      expect(rotated.body.items[0].data).toMatchObject({ notificationChannels: 1, onCallSchedules: 1 });
      await stopProcess(p);
    } finally {
      await capture.close();
      await feed.close();
    }
  }, 180_000);
});
