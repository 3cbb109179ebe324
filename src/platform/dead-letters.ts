import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { type Actor, routeActor, signedIn } from './auth.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { forbidden, notFound } from './errors.ts';
import { pageQuery, zodApi } from './routes.ts';

/** Outbox jobs that failed too often (platform/outbox.ts moves them here), for the ops console. */

export const deadLetterView = z.object({
  id: z.number().int(),
  topic: z.string(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.number().int(),
  lastError: z.string().meta({ description: 'The last failure, as the worker logged it (for developers)' }),
  failedAt: z.iso.datetime(),
});
export type DeadLetterView = z.infer<typeof deadLetterView>;

export const deadLetterPage = z.object({
  items: z.array(deadLetterView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const deadLetterRetried = z.object({
  jobId: z.number().int().meta({ description: 'The new outbox job' }),
});

const operatorOnly = (actor: Actor) => {
  if (actor.role !== 'operator') throw forbidden('This needs an operator account');
};

/** Newest first. */
export async function listDeadLetters(
  db: Db,
  actor: Actor,
  page: { page: number; pageSize: number },
): Promise<z.infer<typeof deadLetterPage>> {
  operatorOnly(actor);
  const rows = await sql<{
    id: string;
    topic: string;
    payload: Record<string, unknown>;
    attempts: number;
    last_error: string;
    failed_at: Date;
    total: number;
  }>`
    select id, topic, payload, attempts, last_error, failed_at, count(*) over ()::int as total
    from outbox_dead_letters order by failed_at desc, id desc
    limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`.execute(db);
  let total = rows.rows[0]?.total;
  if (total === undefined) {
    const c = await sql<{ n: number }>`select count(*)::int as n from outbox_dead_letters`.execute(db);
    total = c.rows[0]?.n ?? 0;
  }
  return {
    items: rows.rows.map((r) => ({
      id: Number(r.id),
      topic: r.topic,
      payload: r.payload,
      attempts: r.attempts,
      lastError: r.last_error,
      failedAt: r.failed_at.toISOString(),
    })),
    total,
    page: page.page,
    pageSize: page.pageSize,
  };
}

/**
 * Sends a dead letter back to the outbox as a new job, due now with fresh attempts (one
 * statement: it leaves the dead letters exactly when the job exists). 404 when there is none.
 */
export async function retryDeadLetter(
  db: Db,
  clock: Clock,
  actor: Actor,
  id: number,
): Promise<z.infer<typeof deadLetterRetried>> {
  operatorOnly(actor);
  const r = await sql<{ id: string }>`
    with gone as (delete from outbox_dead_letters where id = ${id} returning topic, payload)
    insert into outbox (topic, payload, run_at) select topic, payload, ${clock.now()} from gone
    returning id`.execute(db);
  const row = r.rows[0];
  if (!row) throw notFound('Dead letter');
  return { jobId: Number(row.id) };
}

const deadLetterParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function deadLetterRoutes(db: Db, clock: Clock) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);
    const tags = ['platform'];
    app.get(
      '/ops/dead-letters',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listDeadLetters',
          summary: 'Outbox jobs that failed too often, with their last error (newest first)',
          querystring: pageQuery,
          response: { 200: deadLetterPage },
        },
      },
      async (req) => listDeadLetters(db, routeActor(req), req.query),
    );
    app.post(
      '/ops/dead-letters/:id/retry',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'retryDeadLetter',
          summary: 'Send a dead letter back to the outbox as a new job with fresh attempts',
          params: deadLetterParam,
          response: { 200: deadLetterRetried },
        },
      },
      async (req) => retryDeadLetter(db, clock, routeActor(req), req.params.id),
    );
  };
}
