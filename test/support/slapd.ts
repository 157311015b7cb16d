import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

// A throwaway OpenLDAP server on 127.0.0.1 (Debian package `slapd`; `openssl` for the TLS variant): a
// slapd.conf and an mdb database in a temp directory, slapd in the foreground (`-d 0`) as a child of the
// test process, seeded with a small directory. The connector under test binds as `cn=latch`, a service
// account that may only read people and write group membership, never as the rootdn.

export const SLAPD_BIN = process.env.LATCH_SLAPD_BIN ?? '/usr/sbin/slapd';
export const slapdAvailable = () => existsSync(SLAPD_BIN) && existsSync('/etc/ldap/schema/nis.schema');

export const BASE = 'dc=example,dc=test';
export const PEOPLE = `ou=people,${BASE}`;
export const GROUPS = `ou=groups,${BASE}`;
export const ROOT_DN = `cn=admin,${BASE}`;
export const ROOT_PASSWORD = 'root-secret';
export const SERVICE_DN = `cn=latch,${BASE}`;
export const SERVICE_PASSWORD = 'latch-service-secret';

export const users = {
  alice: { dn: `uid=alice,${PEOPLE}`, uid: 'alice', mail: 'alice@example.test' },
  bob: { dn: `uid=bob,${PEOPLE}`, uid: 'bob', mail: 'bob@example.test' },
};
export const groups = {
  /** groupOfNames, seeded with its own DN as the placeholder member (the MUST attribute needs a value). */
  prodAdmins: `cn=prod-admins,${GROUPS}`,
  /** groupOfUniqueNames, same placeholder rule. */
  auditors: `cn=auditors,${GROUPS}`,
  /** posixGroup: memberUid is optional, so it starts empty. */
  deployers: `cn=deployers,${GROUPS}`,
  /** posixGroup the service account may read but not change. */
  vault: `cn=vault,ou=locked,${GROUPS}`,
};

export interface SlapdOptions {
  /** Also serve TLS: StartTLS on the ldap:// port and ldaps:// on this port, with a fresh self-signed certificate. */
  ldapsPort?: number;
}

export interface Slapd {
  url: string;
  /** With `ldapsPort`: the ldaps:// URL and the certificate (PEM) to trust. */
  ldapsUrl?: string;
  ca?: string;
  dir: string;
  /** SIGSTOP: the port still accepts connections but nothing answers (a hung target). Resolves once stopped. */
  pause(): Promise<void>;
  resume(): void;
  /** Kills the server and starts it again on the same database (every connection is dropped). */
  restart(): Promise<void>;
  /** A client bound as the rootdn, for checks outside the connector; the caller unbinds it. */
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

function config(dir: string, tls: boolean): string {
  const schema = ['core', 'cosine', 'inetorgperson', 'nis'].map(
    (s) => `include /etc/ldap/schema/${s}.schema`,
  );
  // First match wins: the service account writes only the membership attributes under ou=groups, reads the
  // rest of the groups and people, and sees nothing else (no passwords, not the suffix entry); ou=locked under
  // ou=groups is read-only to it.
  return [
    ...schema,
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    'maxsize 16777216',
    `suffix "${BASE}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${ROOT_PASSWORD}`,
    ...(tls
      ? [`TLSCertificateFile ${join(dir, 'cert.pem')}`, `TLSCertificateKeyFile ${join(dir, 'key.pem')}`]
      : []),
    `directory ${join(dir, 'db')}`,
    'access to attrs=userPassword by anonymous auth by * none',
    `access to dn.subtree="ou=locked,${GROUPS}" by dn.exact="${SERVICE_DN}" read by * none`,
    `access to dn.subtree="${GROUPS}" attrs=member,uniqueMember,memberUid by dn.exact="${SERVICE_DN}" write by * none`,
    `access to dn.subtree="${GROUPS}" by dn.exact="${SERVICE_DN}" read by * none`,
    `access to dn.subtree="${PEOPLE}" by dn.exact="${SERVICE_DN}" read by * none`,
    'access to * by * none',
    '',
  ].join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function adminClient(url: string): Promise<Client> {
  const client = new Client({ url, connectTimeout: 2000, timeout: 5000 });
  try {
    await client.bind(ROOT_DN, ROOT_PASSWORD);
    return client;
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw err;
  }
}

async function seed(url: string) {
  const c = await adminClient(url);
  try {
    await c.add(BASE, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
    await c.add(PEOPLE, { objectClass: 'organizationalUnit', ou: 'people' });
    await c.add(GROUPS, { objectClass: 'organizationalUnit', ou: 'groups' });
    await c.add(SERVICE_DN, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn: 'latch',
      userPassword: SERVICE_PASSWORD,
    });
    for (const u of Object.values(users))
      await c.add(u.dn, { objectClass: 'inetOrgPerson', uid: u.uid, cn: u.uid, sn: u.uid, mail: u.mail });
    await c.add(groups.prodAdmins, {
      objectClass: 'groupOfNames',
      cn: 'prod-admins',
      member: groups.prodAdmins,
    });
    await c.add(groups.auditors, {
      objectClass: 'groupOfUniqueNames',
      cn: 'auditors',
      uniqueMember: groups.auditors,
    });
    await c.add(groups.deployers, { objectClass: 'posixGroup', cn: 'deployers', gidNumber: '5000' });
    await c.add(`ou=locked,${GROUPS}`, { objectClass: 'organizationalUnit', ou: 'locked' });
    await c.add(groups.vault, { objectClass: 'posixGroup', cn: 'vault', gidNumber: '5001' });
  } finally {
    await c.unbind();
  }
}

/** A self-signed certificate for 127.0.0.1 (OpenSSL 1.1.1 or later for -addext). */
function makeCertificate(dir: string): string {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]),
    { stdio: 'pipe' },
  );
  return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

function launch(dir: string, listen: string): { child: ChildProcess; output: () => string } {
  const child = spawn(SLAPD_BIN, ['-h', listen, '-f', join(dir, 'slapd.conf'), '-d', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  child.on('error', (err) => (out += String(err)));
  return { child, output: () => out };
}

async function waitUntilAnswering(url: string, proc: { child: ChildProcess; output: () => string }) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`slapd exited before answering:\n${proc.output()}`);
    try {
      await (await adminClient(url)).unbind();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`slapd did not answer on ${url}:\n${proc.output()}`);
}

/** Waits until every thread of `pid` is stopped: a signal reaches a busy thread only when it next runs. */
async function stopped(pid: number) {
  const deadline = Date.now() + 5000;
  const state = (task: string) => {
    try {
      // The state follows the parenthesised command name, which may itself contain spaces.
      return readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return 'T'; // the thread is gone
    }
  };
  while (Date.now() < deadline) {
    if (readdirSync(`/proc/${pid}/task`).every((t) => state(t) === 'T')) return;
    await sleep(10);
  }
  throw new Error(`slapd ${pid} did not stop`);
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

export async function startSlapd(port: number, options: SlapdOptions = {}): Promise<Slapd> {
  if (!slapdAvailable())
    throw new Error(`no slapd at ${SLAPD_BIN} (or no /etc/ldap/schema): install the Debian package slapd`);
  const dir = mkdtempSync(join(tmpdir(), 'latch-slapd-'));
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = options.ldapsPort ? `ldaps://127.0.0.1:${options.ldapsPort}` : undefined;
  const listen = [url, ldapsUrl].filter(Boolean).join(' ');
  mkdirSync(join(dir, 'db'));
  const ca = ldapsUrl ? makeCertificate(dir) : undefined;
  writeFileSync(join(dir, 'slapd.conf'), config(dir, !!ldapsUrl));
  let proc = launch(dir, listen);
  // A crashed test leaves no server behind: the child dies with this process.
  const onExit = () => proc.child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitUntilAnswering(url, proc);
    await seed(url);
  } catch (err) {
    await kill(proc.child);
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', onExit);
    throw err;
  }
  return {
    url,
    ldapsUrl,
    ca,
    dir,
    pause: async () => {
      proc.child.kill('SIGSTOP');
      await stopped(proc.child.pid!);
    },
    resume: () => void proc.child.kill('SIGCONT'),
    restart: async () => {
      await kill(proc.child);
      proc = launch(dir, listen);
      await waitUntilAnswering(url, proc);
    },
    admin: () => adminClient(url),
    stop: async () => {
      await kill(proc.child);
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
