import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { apiRequest, CliError, serverUrlFromEnv } from './client.js';
import { credentialsFile, deleteCredentials, loadCredentials, saveCredentials } from './credentials.js';

// `latch login`: signs in at the identity provider Latch is configured with, as the public CLI client, and
// exchanges the ID token for a Latch API token of 12 hours (POST /auth/oidc/exchange). The device authorization
// grant (RFC 8628) when the provider offers it: the person opens a link anywhere and confirms a code. Otherwise
// the authorization code flow with PKCE through a redirect to a one-time listener on 127.0.0.1 (RFC 8252).

interface AuthMethods {
  oidc: {
    enabled: boolean;
    providerName: string;
    issuer: string;
    cliClientId: string | null;
    scopes: string[];
  } | null;
}

interface Exchanged {
  token: string;
  expiresAt: string;
  id: string;
  userId: string;
}

const LOOPBACK_WAIT_MS = 5 * 60 * 1000;

async function publicApi<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new CliError(`cannot reach Latch at ${url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const parsed = (await res.json().catch(() => ({}))) as T & { detail?: string; code?: string };
  if (!res.ok)
    throw new CliError(
      `${parsed.detail ?? res.statusText} (${res.status}${parsed.code ? ` ${parsed.code}` : ''})`,
    );
  return parsed;
}

function isLoopback(url: URL) {
  return (
    url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
  );
}

export async function runLogin(env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<void> {
  const url = serverUrlFromEnv(env);
  const methods = await publicApi<AuthMethods>(url, 'GET', '/auth/methods');
  const oidc = methods.oidc;
  if (!oidc?.enabled || !oidc.cliClientId)
    throw new CliError(
      `${url} does not offer single sign-on for the CLI (LATCH_OIDC_CLI_CLIENT_ID); export an API token as LATCH_TOKEN instead`,
      2,
    );
  const issuer = new URL(oidc.issuer);
  let config: client.Configuration;
  try {
    config = await client.discovery(issuer, oidc.cliClientId, undefined, client.None(), {
      // Plain http only for a provider on this machine, as the server allows it.
      ...(issuer.protocol === 'http:' && isLoopback(issuer)
        ? { execute: [client.allowInsecureRequests] }
        : {}),
    });
  } catch (err) {
    throw new CliError(`cannot reach the identity provider at ${issuer.origin}: ${(err as Error).message}`);
  }
  const scope = oidc.scopes.join(' ');
  const tokens = config.serverMetadata().device_authorization_endpoint
    ? await deviceGrant(config, scope, oidc.providerName, say)
    : await loopbackGrant(config, scope, oidc.providerName, say);
  const idToken = tokens.id_token;
  if (!idToken) throw new CliError('the identity provider answered without an ID token');
  const exchanged = await publicApi<Exchanged>(url, 'POST', '/auth/oidc/exchange', {
    idToken,
    ...(tokens.access_token ? { accessToken: tokens.access_token } : {}),
  });
  const file = await saveCredentials(env, {
    url,
    token: exchanged.token,
    tokenId: exchanged.id,
    userId: exchanged.userId,
    expiresAt: exchanged.expiresAt,
  });
  say(`Signed in to ${url} until ${exchanged.expiresAt}; the token is in ${file}.`);
}

async function deviceGrant(
  config: client.Configuration,
  scope: string,
  providerName: string,
  say: (line: string) => void,
) {
  try {
    const device = await client.initiateDeviceAuthorization(config, { scope });
    say(
      `To sign in, open ${device.verification_uri_complete ?? device.verification_uri} and confirm the code ` +
        `${device.user_code} with ${providerName}.`,
    );
    return await client.pollDeviceAuthorizationGrant(config, device);
  } catch (err) {
    throw new CliError(`signing in with ${providerName} did not work: ${(err as Error).message}`);
  }
}

async function loopbackGrant(
  config: client.Configuration,
  scope: string,
  providerName: string,
  say: (line: string) => void,
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  let done: (answer: URL) => void = () => undefined;
  const answered = new Promise<URL>((resolve) => (done = resolve));
  const server = createServer((req, res) => {
    const answer = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (answer.pathname !== '/callback') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('Latch: you may close this window and return to the terminal.\n');
    done(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    say(`To sign in with ${providerName}, open ${authorizationUrl.href}`);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new CliError('nobody signed in within 5 minutes')), LOOPBACK_WAIT_MS).unref(),
    );
    const answer = await Promise.race([answered, timeout]);
    const current = new URL(redirectUri);
    current.search = answer.search;
    return await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`signing in with ${providerName} did not work: ${(err as Error).message}`);
  } finally {
    server.close();
  }
}

/** `latch logout`: revokes the stored token at the server it came from, and deletes it. */
export async function runLogout(env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<void> {
  const stored = loadCredentials(env);
  if (!stored) {
    deleteCredentials(env);
    say('Not signed in with `latch login`.');
    return;
  }
  try {
    await apiRequest(
      { url: stored.url, token: stored.token },
      'DELETE',
      `/users/${encodeURIComponent(stored.userId)}/tokens/${encodeURIComponent(stored.tokenId)}`,
    );
  } catch (err) {
    // A token that no longer works (expired, revoked) needs no revoking; anything else leaves it in place.
    if (!(err instanceof CliError && / \(401/.test(err.message))) throw err;
  }
  deleteCredentials(env);
  say(`Signed out of ${stored.url}; ${credentialsFile(env)} is deleted.`);
}
