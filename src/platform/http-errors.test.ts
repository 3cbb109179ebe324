import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './db.ts';
import { handleError, isClientDataError } from './http-errors.ts';

/** The error handler's second line of defence: values the database refuses are the client's fault. */
describe('handleError and PostgreSQL data exceptions', () => {
  let database: Database;
  const app = Fastify();

  beforeAll(async () => {
    database = await openDatabase({}); // a bare in-memory PGlite: no migrations needed
    app.setErrorHandler(handleError);
    // Sends a value straight to the database, as a route that forgot its schema would.
    app.post<{ Body: { value: string; as: string } }>('/echo', async (req) => {
      const cast = req.body.as === 'int' ? sql`::int` : req.body.as === 'jsonb' ? sql`::jsonb` : sql`::text`;
      const r = await sql<{ v: unknown }>`select ${req.body.value}${cast} as v`.execute(database.db);
      return { v: r.rows[0]?.v };
    });
    app.post<{ Body: { code: string } }>('/throw', async (req) => {
      throw Object.assign(new Error('database said no'), { code: req.body.code });
    });
    app.post<{ Body: { code?: string; message: string; nested?: boolean } }>('/lost', async (req) => {
      const err = Object.assign(new Error(req.body.message), req.body.code ? { code: req.body.code } : {});
      throw req.body.nested ? new Error('query failed', { cause: err }) : err;
    });
    app.post('/broken-sql', async () => sql`select * from no_such_table`.execute(database.db));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database?.close();
  });

  it('a NUL character or bad text the database refuses answers 400, not 500', async () => {
    for (const [value, as] of [
      ['a\u0000b', 'text'],
      ['{"a": "\\u0000"}', 'jsonb'],
      ['12abc', 'int'],
      ['99999999999', 'int'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/echo', payload: { value, as } });
      expect(res.statusCode, `${JSON.stringify(value)} as ${as}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { value: '张三', as: 'text' } });
    expect(ok.json()).toEqual({ v: '张三' });
  });

  it('maps every class-22 SQLSTATE (22P05, 22021 …) to 400 and keeps other database errors 500', async () => {
    for (const code of ['22P05', '22021', '22001', '22003', '22P02', '2200D', '22012']) {
      const res = await app.inject({ method: 'POST', url: '/throw', payload: { code } });
      expect(res.statusCode, code).toBe(400);
      expect(isClientDataError({ code })).toBe(true);
    }
    for (const code of ['23505', '23502', '23514', '40001', '42P01', '57014', 'ERR_INVALID_ARG', '220']) {
      const res = await app.inject({ method: 'POST', url: '/throw', payload: { code } });
      expect(res.statusCode, code).toBe(500);
      expect(isClientDataError({ code })).toBe(false);
    }
    const broken = await app.inject({ method: 'POST', url: '/broken-sql' });
    expect(broken.statusCode).toBe(500);
    expect(broken.json().error.code).toBe('internal');
  });

  it('maps a lost or refused database connection to 503 database_unavailable with Retry-After', async () => {
    const lost = [
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '57P02', message: 'terminating connection due to crash of another server process' },
      { code: '57P03', message: 'the database system is starting up' },
      { code: '08006', message: 'connection failure' },
      { code: '08001', message: 'could not connect' },
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      { code: 'ECONNRESET', message: 'read ECONNRESET' },
      { code: 'EPIPE', message: 'write EPIPE' },
      { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' },
      { message: 'Connection terminated unexpectedly' },
      { message: 'Client has encountered a connection error and is not queryable' },
      { code: 'ECONNREFUSED', message: 'wrapped', nested: true },
    ];
    for (const payload of lost) {
      const res = await app.inject({ method: 'POST', url: '/lost', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.json().error.code).toBe('database_unavailable');
    }
    // Not a lost connection: a cancelled statement, a serialization failure, a deadlock stay 500.
    for (const code of ['57014', '40001', '40P01', '0A000']) {
      const res = await app.inject({ method: 'POST', url: '/lost', payload: { code, message: 'no' } });
      expect(res.statusCode, code).toBe(500);
    }
  });
});
