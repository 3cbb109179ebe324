import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/openapi-document.ts';
import { signedIn } from '../../src/platform/auth.ts';
import { documentRoute } from '../../src/platform/openapi.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  'x-roles'?: string[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The OpenAPI document, built as `npm run openapi` builds it (no database), describes every answer. */
describe('the OpenAPI document', () => {
  let doc: {
    tags: Array<{ name: string; description?: string }>;
    servers: unknown[];
    paths: Record<string, Record<string, Operation>>;
  };
  let operations: Array<{ key: string; op: Operation }>;

  beforeAll(async () => {
    doc = (await openApiDocument()) as typeof doc;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
  });

  it('lists servers and describes each tag once; every operation has a declared tag', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    const names = doc.tags.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tag of doc.tags) expect(tag.description, tag.name).toBeTruthy();
    expect(operations.length).toBeGreaterThan(40);
    const untagged = operations.filter(
      ({ op }) => !op.tags?.length || op.tags.some((t) => !names.includes(t)),
    );
    expect(untagged.map((o) => o.key)).toEqual([]);
  });

  it('gives every operation a unique lowerCamelCase operationId', () => {
    const missing = operations.filter(({ op }) => !/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? ''));
    expect(missing.map((o) => o.key)).toEqual([]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('describes a success answer with a schema for every operation', () => {
    const without = operations.filter(({ op }) => {
      const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
      return (
        success.length === 0 || success.some(([, r]) => !Object.values(r.content ?? {}).some((c) => c.schema))
      );
    });
    expect(without.map((o) => o.key)).toEqual([]);
  });

  it('describes the error answers in the one error format', () => {
    const isError = (r: Operation['responses'][string] | undefined) =>
      r?.content?.['application/json']?.schema?.$ref === '#/components/schemas/Error';
    for (const { key, op } of operations) {
      expect(isError(op.responses['4XX']), `${key} 4XX`).toBe(true);
      expect(isError(op.responses['500']), `${key} 500`).toBe(true);
      if (op.security?.length) {
        expect(isError(op.responses['401']), `${key} 401`).toBe(true);
        expect(isError(op.responses['403']), `${key} 403`).toBe(true);
      }
      if (key.includes('{')) expect(op.responses['404'], `${key} 404`).toBeDefined();
    }
  });

  it('asks for the session, with its roles, exactly where a role is needed; public operations say so', () => {
    for (const { key, op } of operations) {
      expect(op.security, key).toBeDefined();
      const roles = op['x-roles'] ?? [];
      if (roles.length > 0) expect(op.security, key).toEqual([{ session: [] }]);
      else expect(op.security, key).toEqual([]);
    }
    expect(operations.filter(({ op }) => op['x-roles']?.length).length).toBeGreaterThan(30);
  });

  it('takes security and roles from the route config', () => {
    const route = (config?: ReturnType<typeof signedIn>) => ({
      method: 'POST' as const,
      url: '/x/:id',
      handler: async () => ({}),
      config,
      schema: { params: {}, response: { 201: {} } },
    });
    const guarded = route(signedIn('merchant', 'operator'));
    documentRoute(guarded);
    expect(guarded.schema).toMatchObject({
      security: [{ session: [] }],
      'x-roles': ['merchant', 'operator'],
    });
    expect(Object.keys(guarded.schema.response).sort()).toEqual(
      ['201', '400', '401', '403', '404', '4xx', '500', '503'].sort(),
    );
    const open = route();
    documentRoute(open);
    expect(open.schema).toMatchObject({ security: [] });
    expect(open.schema).not.toHaveProperty('x-roles');
    expect(open.schema.response).not.toHaveProperty('401');
  });
});
