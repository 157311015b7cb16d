import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySerializers } from './lazy-serializers.js';

function appWith(responseSchema: object) {
  const serializers = lazySerializers();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } },
  });
  app.get('/thing', { schema: { response: { 200: responseSchema } } }, async () => ({
    name: 'a',
    secret: 'b',
  }));
  return { app, serializers };
}

describe('lazy response serializers', () => {
  it('compile at first use and serialize by the schema', async () => {
    const { app } = appWith({ type: 'object', properties: { name: { type: 'string' } } });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(200);
    // Only what the schema names is sent.
    expect(res.json()).toEqual({ name: 'a' });
    await app.close();
  });

  it('are not compiled before the server is ready, and the remaining ones are compiled on request', async () => {
    // A schema naming a type that does not exist cannot compile: the server still gets ready, and the
    // compilation after listening reports it.
    const { app, serializers } = appWith({ type: 'object', properties: { name: { $ref: 'missing#' } } });
    await app.ready();
    await expect(serializers.compileRemaining()).rejects.toThrow();
    await app.close();
  });

  it('compile each remaining one once', async () => {
    const { app, serializers } = appWith({ type: 'object', properties: { name: { type: 'string' } } });
    await app.ready();
    await serializers.compileRemaining();
    await serializers.compileRemaining();
    expect((await app.inject({ method: 'GET', url: '/thing' })).json()).toEqual({ name: 'a' });
    await app.close();
  });
});
