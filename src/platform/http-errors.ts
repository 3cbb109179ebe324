import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, TooManyRequests } from './errors.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

// PostgreSQL data exceptions caused by a value the request carried (bad text for a type, a number
// out of range, a string too long) are the client's fault, never the server's.
const clientDataErrors = new Set(['22P02', '22003', '22001', '22007', '22008', '22023', '2201W', '2201X']);

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
  const pgCode = (err as { code?: unknown }).code;
  if (typeof pgCode === 'string' && clientDataErrors.has(pgCode)) {
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
