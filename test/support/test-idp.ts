import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

// An OpenID Connect provider for tests (oidc-provider), on 127.0.0.1: a confidential client for Latch's web
// sign-in (code flow, PKCE), a public client for the CLI (device flow), and another confidential client whose
// tokens Latch must not accept. Accounts sign in at a plain login form; consent is implied. A test may rewrite
// the claims of the ID tokens the token endpoint issues (`tamperIdTokens`), re-signed with the provider's key.

export interface TestAccount {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
  groups: string[];
}

export const WEB_CLIENT = { id: 'latch-web', secret: 'latch-web-secret-for-tests' };
export const CLI_CLIENT_ID = 'latch-cli';
export const OTHER_CLIENT = { id: 'other-app', secret: 'other-app-secret-for-tests' };

export interface TestIdp {
  issuer: string;
  accounts: Map<string, TestAccount>;
  addAccount(account: Omit<TestAccount, 'groups'> & { groups?: string[] }): TestAccount;
  /** Rewrites the claims of every ID token the token endpoint answers with, until set back to undefined. */
  tamperIdTokens: ((claims: JWTPayload) => JWTPayload) | undefined;
  /** An ID token signed with the provider's own key (or, with `foreignKey`, a key it never published). */
  signIdToken(claims: JWTPayload, opts?: { foreignKey?: boolean }): Promise<string>;
  /** Starts the provider for Latch at `latchPublicUrl`; the server already listens on `issuer`. */
  configure(latchPublicUrl: string): void;
  close(): Promise<void>;
}

const LOGIN_FORM = (uid: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}/login">
<label>E-mail <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></main></body></html>`;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** `deviceFlow: false` makes a provider without the device authorization grant (the CLI then uses a loopback redirect). */
export async function startTestIdp(opts: { deviceFlow?: boolean } = {}): Promise<TestIdp> {
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
  const foreign = (await generateKeyPair('RS256', { extractable: true })).privateKey;
  let provider: Provider | undefined;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  const server: Server = createServer((req, res) => {
    if (!provider || !handle) {
      res.statusCode = 503;
      res.end('not configured');
      return;
    }
    void route(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign = async (claims: JWTPayload, key: Parameters<SignJWT['sign']>[0]) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'JWT' }).sign(key);

  const self: TestIdp = {
    issuer,
    accounts,
    tamperIdTokens: undefined,
    addAccount(a) {
      const account = { groups: [], ...a };
      accounts.set(account.id, account);
      return account;
    },
    async signIdToken(claims, opts = {}) {
      return sign(claims, opts.foreignKey ? foreign : await importJWK(jwk, 'RS256'));
    },
    configure(latchPublicUrl) {
      const configuration: Configuration = {
        clients: [
          {
            client_id: WEB_CLIENT.id,
            client_secret: WEB_CLIENT.secret,
            redirect_uris: [new URL('/api/v1/auth/oidc/callback', latchPublicUrl).href],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
          {
            client_id: OTHER_CLIENT.id,
            client_secret: OTHER_CLIENT.secret,
            redirect_uris: [new URL('/api/v1/auth/oidc/callback', latchPublicUrl).href],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
          {
            client_id: CLI_CLIENT_ID,
            application_type: 'native',
            token_endpoint_auth_method: 'none',
            grant_types: [
              ...(opts.deviceFlow === false ? [] : ['urn:ietf:params:oauth:grant-type:device_code']),
              'authorization_code',
            ],
            response_types: ['code'],
            // Any port: a native client's loopback listener takes whichever is free (RFC 8252).
            redirect_uris: ['http://127.0.0.1/callback'],
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: ['test-idp-cookie-key-0123456789'] },
        scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name'],
          groups: ['groups'],
        },
        features: {
          devInteractions: { enabled: false },
          deviceFlow: { enabled: opts.deviceFlow ?? true },
          userinfo: { enabled: true },
        },
        pkce: { required: () => true },
        ttl: {
          AccessToken: 3600,
          IdToken: 3600,
          Interaction: 600,
          Session: 3600,
          Grant: 3600,
          DeviceCode: 600,
        },
        interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
        // Consent is implied: every sign-in grants what was asked.
        async loadExistingGrant(ctx: KoaContextWithOIDC) {
          const oidc = ctx.oidc;
          const known = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
          if (known) {
            const grant = await oidc.provider.Grant.find(known);
            if (grant) return grant;
          }
          const grant = new oidc.provider.Grant({
            clientId: oidc.client!.clientId,
            accountId: oidc.session!.accountId!,
          });
          grant.addOIDCScope('openid email profile groups');
          await grant.save();
          return grant;
        },
        async findAccount(_ctx, sub) {
          const account = accounts.get(sub);
          if (!account) return undefined;
          return {
            accountId: sub,
            claims: () => ({
              sub,
              email: account.email,
              email_verified: account.emailVerified,
              name: account.name,
              groups: account.groups,
            }),
          };
        },
      };
      provider = new Provider(issuer, configuration);
      const callback = provider.callback();
      handle = (req, res) => {
        if (self.tamperIdTokens && req.method === 'POST' && req.url?.startsWith('/token'))
          rewriteIdToken(res);
        void callback(req, res);
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function rewriteIdToken(res: ServerResponse) {
    const chunks: Buffer[] = [];
    const end = res.end.bind(res);
    res.write = ((chunk: unknown) => {
      chunks.push(Buffer.from(chunk as Buffer));
      return true;
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
      const tamper = self.tamperIdTokens;
      if (!body.id_token || !tamper) return end(Buffer.concat(chunks));
      void self.signIdToken(tamper(decodeJwt(body.id_token))).then((idToken) => {
        const text = JSON.stringify({ ...body, id_token: idToken });
        res.setHeader('content-length', Buffer.byteLength(text));
        end(text);
      });
      return res;
    }) as ServerResponse['end'];
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', issuer);
    const interaction = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!interaction) return handle!(req, res);
    const details = await provider!.interactionDetails(req, res);
    // Consent is implied (native clients are always asked for it): given at once, with what was asked.
    if (details.prompt.name === 'consent') {
      const grant = details.grantId
        ? (await provider!.Grant.find(details.grantId))!
        : new provider!.Grant({
            clientId: String(details.params.client_id),
            accountId: details.session!.accountId,
          });
      grant.addOIDCScope('openid email profile groups');
      const grantId = await grant.save();
      await provider!.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (!interaction[2]) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(LOGIN_FORM(details.uid));
      return;
    }
    const form = await readForm(req);
    const login = (form.get('login') ?? '').toLowerCase();
    const account = [...accounts.values()].find((a) => a.email.toLowerCase() === login || a.id === login);
    if (!account) {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(LOGIN_FORM(details.uid));
      return;
    }
    await provider!.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  }

  return self;
}

/** A browser without a browser: follows the provider's redirects with a cookie jar and signs in at its form. */
export async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  redirectUri: string,
): Promise<URL> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let next = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    if (next.href.startsWith(redirectUri)) return next;
    let res: Response;
    if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
      res = await fetch(new URL(`${next.pathname}/login`, next), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login, password: 'anything' }).toString(),
      });
    } else {
      res = await fetch(next, { redirect: 'manual', headers: { cookie: cookie() } });
    }
    remember(res);
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`the provider answered ${res.status} at ${next.pathname}: ${await res.text()}`);
    next = new URL(location, next);
  }
  throw new Error('too many redirects at the provider');
}

const hiddenInputs = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );

/**
 * What a person does at the provider for the device authorization grant: opens the link the CLI printed,
 * confirms the code, signs in at the form. Forms the provider answers with are submitted as they are (with
 * `confirm=yes` where it asks), until its success page.
 */
export async function approveDeviceSignIn(verificationUri: string, login: string): Promise<void> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let res = await fetch(verificationUri, { redirect: 'manual' });
  let at = new URL(verificationUri);
  for (let hop = 0; hop < 15; hop++) {
    remember(res);
    const location = res.headers.get('location');
    if (location) {
      at = new URL(location, at);
      res = /^\/interaction\/[^/]+$/.test(at.pathname)
        ? await fetch(new URL(`${at.pathname}/login`, at), {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ login, password: 'anything' }).toString(),
          })
        : await fetch(at, { redirect: 'manual', headers: { cookie: cookie() } });
      continue;
    }
    const html = await res.text();
    if (/Sign-in Success/.test(html)) return;
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action)
      throw new Error(`the provider answered ${res.status} at ${at.pathname}: ${html.slice(0, 300)}`);
    const fields = hiddenInputs(html);
    at = new URL(action, at);
    res = await fetch(at, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
  throw new Error('the provider never said the sign-in succeeded');
}
