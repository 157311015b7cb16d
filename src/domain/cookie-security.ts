// Whether the session cookie is Secure, and whether the browser that asked will keep it. A Secure cookie is
// kept only over https, or over plain http on a loopback host (localhost, 127.0.0.0/8, ::1). Signing in over
// plain http at any other name with a Secure cookie would look like success and then loop back to sign-in.

export interface CookieTransport {
  /** LATCH_PUBLIC_URL: where people open Latch; decides for every request when set. */
  publicUrl: URL | undefined;
  /** The request reached Latch over TLS (Latch serving https itself). */
  requestIsHttps: boolean;
  /** The Host the browser used, with or without a port. */
  requestHost: string;
}

export interface CookieSecurity {
  secure: boolean;
  /** Why the browser will not keep the cookie (and what to do), or why it travels in clear; null when fine. */
  warning: string | null;
  /** The browser will drop the cookie: signing in cannot work from this address. */
  dropped: boolean;
}

/** Host name without port or IPv6 brackets, lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

export function cookieSecurity(t: CookieTransport): CookieSecurity {
  const loopback = isLoopbackHost(t.requestHost);
  const secure = t.publicUrl ? t.publicUrl.protocol === 'https:' : t.requestIsHttps || loopback;
  // Behind a TLS-terminating proxy the request arrives over http at the public name: the browser used https.
  const viaPublicName = t.publicUrl !== undefined && hostName(t.publicUrl.host) === hostName(t.requestHost);
  if (secure && !t.requestIsHttps && !loopback && !viaPublicName) {
    const where = t.publicUrl ? `open ${t.publicUrl.origin} instead` : 'open Latch over https';
    return {
      secure,
      dropped: true,
      warning:
        `this page was opened over plain http at ${t.requestHost}, but the session cookie is Secure, so the ` +
        `browser will not keep it and signing in cannot work here: ${where}`,
    };
  }
  if (!secure && !loopback)
    return {
      secure,
      dropped: false,
      warning:
        `the session cookie is sent without TLS to ${t.requestHost}: anyone on the network can read it. ` +
        'Serve Latch over https (latch serve --tls-cert/--tls-key, or a proxy with LATCH_PUBLIC_URL=https://…)',
    };
  return { secure, dropped: false, warning: null };
}
