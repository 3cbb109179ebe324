/** The one error shape every API answer uses: `{ error: { code, message, details } }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'Not allowed') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
/** 429; the error handler sends `retryAfterSeconds` as the Retry-After header. */
export class TooManyRequests extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, 'rate_limited', message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
  }
}
export const tooMany = (message: string, retryAfterSeconds?: number) =>
  new TooManyRequests(message, retryAfterSeconds);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
