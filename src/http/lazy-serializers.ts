import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

// Response serializers compiled when first needed instead of all before the server listens: compiling every
// route's schemas took about half a second of each start, a time during which Latch answers nothing. Those not
// used yet are compiled soon after the server listens, one per turn of the event loop (compileRemaining), so a
// first request rarely pays for its route and a schema that cannot compile is seen at start, not at first use.

declare module 'fastify' {
  interface FastifyInstance {
    /** Compiles the response serializers not used yet (see lazySerializers). */
    compileResponseSerializers(): Promise<void>;
  }
}

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

export interface LazySerializers {
  /** For Fastify's `schemaController.compilersFactory.buildSerializer`. */
  buildSerializer: SerializerFactory;
  /** Compiles each serializer not compiled yet, yielding to other work between two; rejects on the first that
   * cannot compile. */
  compileRemaining(): Promise<void>;
}

export function lazySerializers(): LazySerializers {
  const pending = new Set<() => Serializer>();
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    // A compiler per route: the library's compiler drops a route's own schema id from the shared schemas it was
    // built with, which then hides that schema from every route compiled after it.
    const compile: ReturnType<SerializerFactory> = (route) =>
      SerializerSelector()(externalSchemas, options)(route);
    return (route) => {
      let serializer: Serializer | undefined;
      const compiled = () => {
        if (serializer === undefined) {
          pending.delete(compiled);
          serializer = compile(route);
        }
        return serializer;
      };
      pending.add(compiled);
      return (doc) => compiled()(doc);
    };
  };
  return {
    buildSerializer,
    async compileRemaining() {
      for (const compiled of pending) {
        await new Promise((resolve) => setImmediate(resolve));
        compiled();
      }
    },
  };
}
