import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loggableUrl, withRequestRedaction } from './request-log.js';

describe('the request log', () => {
  it('never writes down the code or state a provider sends to the callback', () => {
    const logged = loggableUrl(
      '/api/v1/auth/oidc/callback?code=SECRETCODE&state=SECRETSTATE&iss=https%3A%2F%2Fidp',
    );
    expect(logged).not.toContain('SECRETCODE');
    expect(logged).not.toContain('SECRETSTATE');
    expect(logged).toContain('iss=https%3A%2F%2Fidp');
    expect(loggableUrl('/api/v1/groups?limit=5')).toBe('/api/v1/groups?limit=5');
  });

  it('adds its serializer to the logger options, leaving no logger alone', () => {
    expect(withRequestRedaction(false)).toBe(false);
    const options = withRequestRedaction({ level: 'info' }) as {
      level: string;
      serializers: { req: unknown };
    };
    expect(options.level).toBe('info');
    expect(typeof options.serializers.req).toBe('function');
  });

  it('is what Fastify writes for each request', async () => {
    let written = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const app = Fastify({ logger: withRequestRedaction({ level: 'info', stream }) });
    app.get('/api/v1/auth/oidc/callback', async () => 'ok');
    await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/callback?code=SECRETCODE&state=SECRETSTATE' });
    await app.close();
    expect(written).toContain('/api/v1/auth/oidc/callback?code=redacted&state=redacted');
    expect(written).not.toContain('SECRET');
  });
});
