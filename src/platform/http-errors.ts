import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseDown, isConnectionError } from './db.ts';
import { AppError, TooManyRequests } from './errors.ts';

/** Seconds a client is asked to wait (Retry-After) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * PostgreSQL data exceptions (SQLSTATE class 22: text the database cannot hold such as NUL
 * (22021, 22P05), bad text for a type, a number out of range, a string too long …) are caused by a
 * value the request carried: the client's fault, never the server's. The text rule (platform/text.ts)
 * refuses such values before they reach the database; this is the second line of defence. Other
 * classes (constraint violations 23xxx, syntax errors 42xxx …) stay 500s: they are our bugs.
 */
export function isClientDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** Turns every thrown error into the API's error format; only real faults become 5xx. */
export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    if (err instanceof TooManyRequests && err.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(err.retryAfterSeconds));
    return reply.status(err.status).send(body(err.code, err.message, err.details));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({
      where: err.validationContext,
      path: v.instancePath || '/',
      message: v.message,
    }));
    return reply.status(400).send(body('validation_failed', 'The request is not valid', details));
  }
  if (isConnectionError(err)) {
    // The database restarted or the connection broke: the request may be retried (with its
    // Idempotency-Key) once the database is back. Logged once per outage, not per request.
    databaseDown(request.log, err, 'request');
    reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return reply
      .status(503)
      .send(body('database_unavailable', 'The database is unavailable right now; please retry shortly'));
  }
  if (isClientDataError(err)) {
    // Logged: a value reached the database that the schemas should have refused.
    request.log.warn({ err }, 'the database refused a value from the request');
    return reply.status(400).send(body('bad_request', 'A value in the request is not acceptable'));
  }
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (err as FastifyError).code?.toLowerCase().replace(/^fst_err_/, '') ?? 'bad_request';
    return reply.status(status).send(body(code, err.message));
  }
  request.log.error({ err }, 'unhandled error');
  return reply.status(500).send(body('internal', 'Something went wrong on our side; please retry'));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
}
