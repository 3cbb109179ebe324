import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import pino from 'pino';
import { buildApp } from './app.ts';
import { loadConfig } from './platform/config.ts';

/** A driver that refuses to connect: building the app must not touch the database. */
class NoDatabaseDriver extends DummyDriver {
  override async acquireConnection(): Promise<never> {
    throw new Error('the OpenAPI document is built without a database; nothing may query it');
  }
}

/**
 * The API's OpenAPI document, as the app serves it at /api/docs/json, built without a database
 * (for `gravity openapi`, the linter and the web client's generator). It depends on no environment.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new NoDatabaseDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const { app } = await buildApp({
    config: loadConfig({ NODE_ENV: 'test' }),
    db,
    log: pino({ level: 'silent' }),
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
