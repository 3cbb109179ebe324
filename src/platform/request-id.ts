import { newId } from './ids.ts';

// A client's id is echoed in a response header and written to every log line of the request:
// only short, plain tokens are kept, anything else gets a fresh id.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the client's `x-request-id` when it is well-formed, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTABLE.test(header) ? header : newId();
}
