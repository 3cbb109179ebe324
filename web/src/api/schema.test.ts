import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiSchema, SCHEMA_FILE } from './generate.ts';

describe('the web client’s API types', () => {
  it('match the server’s OpenAPI document (after a route change, run `npm run api:client`)', async () => {
    const fresh = await generateApiSchema();
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      committed === fresh,
      'web/src/api/schema.gen.ts differs from the server’s OpenAPI document: run `npm run api:client` and commit the result',
    ).toBe(true);
  });
});
