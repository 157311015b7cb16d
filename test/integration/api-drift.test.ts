import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildOpenApiDocument,
  generateApiArtifacts,
  OPENAPI_FILE,
  ROOT,
  TYPES_FILE,
} from '../../scripts/generate-api.js';

// The committed OpenAPI document and the web UI's generated types must be what the route schemas produce now.

const readOrEmpty = (file: string) => readFile(file, 'utf8').catch(() => '');

describe('generated API artifacts', () => {
  it('are up to date with the route schemas', async () => {
    const fresh = await generateApiArtifacts();
    for (const [file, text] of [
      [OPENAPI_FILE, fresh.openapi],
      [TYPES_FILE, fresh.types],
    ] as const) {
      const committed = await readOrEmpty(file);
      // Compared as a boolean first so a stale file fails with the instruction, not a 10,000-line diff.
      if (committed !== text)
        expect.fail(
          `${path.relative(ROOT, file)} is out of date with the route schemas: run npm run generate:api`,
        );
    }
  });

  it('describe the browser session endpoints and their cookie', async () => {
    const doc = (await buildOpenApiDocument()) as unknown as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
      security: unknown[];
    };
    const session = doc.paths['/api/v1/session'];
    expect(Object.keys(session ?? {}).sort()).toEqual(['delete', 'get', 'post']);
    expect(session!.post!.security).toEqual([]);
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'latch_session',
    });
    expect(doc.security).toEqual(expect.arrayContaining([{ bearer: [] }, { session: [] }]));
  });
});
