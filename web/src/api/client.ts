/**
 * The Gravity HTTP API (`/api/v1`) through openapi-fetch, typed by the server's OpenAPI document
 * (schema.gen.ts, `npm run api:client`): a path, its parameters, its body and its answer are checked
 * against the routes' schemas. Cookies are included; a refusal or a lost connection throws ApiError.
 */
import createClient, {
  type ClientPathsWithMethod,
  createQuerySerializer,
  type FetchResponse,
  type MaybeOptionalInit,
  type MethodResponse,
} from 'openapi-fetch';
import { ApiError, type ErrorBody } from './error-message.ts';
import type { paths } from './schema.gen.ts';

export const API_BASE = '/api/v1';

/** The API's paths as the app names them: without the /api/v1 prefix (the client's base URL). */
export type ApiPaths = { [P in keyof paths as P extends `/api/v1${infer Rest}` ? Rest : never]: paths[P] };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type PathsWith<M extends Method> = ClientPathsWithMethod<typeof client, M>;

const serializeQuery = createQuerySerializer();

const client = createClient<ApiPaths>({
  baseUrl: API_BASE,
  credentials: 'include',
  headers: { accept: 'application/json' },
  // Empty form fields are left out, as if not given (the server reads '' as a value).
  querySerializer: (query: Record<string, unknown>) =>
    serializeQuery(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''))),
});

function errorBody(error: unknown, response: Response): ErrorBody {
  const body = (error as { error?: Partial<ErrorBody> } | null)?.error;
  return {
    code: typeof body?.code === 'string' ? body.code : `http_${response.status}`,
    message: typeof body?.message === 'string' ? body.message : response.statusText,
    details: body?.details,
  };
}

async function answer<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  let result: { data?: D; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', message: (e as Error).message || 'Network error' });
  }
  if (!result.response.ok)
    throw new ApiError(result.response.status, errorBody(result.error, result.response));
  return result.data as D;
}

type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The options argument: required when the operation has path parameters or a required body. */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [init?: Init] : [init: Init];

/** One HTTP method of the API: the path and options of an operation in, its success answer out. */
type Call<M extends Method> = <P extends PathsWith<M>, I extends MaybeOptionalInit<ApiPaths[P], M>>(
  path: P,
  ...init: InitParam<I>
) => Promise<
  NonNullable<
    FetchResponse<ApiPaths[P][M] & Record<string | number, unknown>, object, 'application/json'>['data']
  >
>;

type AnyCall = (
  path: string,
  init?: object,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const call = <M extends Method>(method: AnyCall) =>
  ((path: string, init?: object) => answer(method(path, init))) as unknown as Call<M>;

/**
 * `api.get('/orders/{id}', { params: { path: { id } }, signal })` answers the order;
 * `api.post('/checkouts', { body, headers: { 'Idempotency-Key': key } })` the new checkout.
 */
export const api = {
  get: call<'get'>(client.GET as AnyCall),
  post: call<'post'>(client.POST as AnyCall),
  put: call<'put'>(client.PUT as AnyCall),
  patch: call<'patch'>(client.PATCH as AnyCall),
  del: call<'delete'>(client.DELETE as AnyCall),
};

/** The success answer of an operation, e.g. `ResponseOf<'/orders/{id}', 'get'>`. */
export type ResponseOf<P extends PathsWith<M>, M extends Method> = MethodResponse<typeof client, M, P>;

/** The query parameters of an operation, e.g. `QueryOf<'/products', 'get'>`. */
export type QueryOf<P extends PathsWith<M>, M extends Method> = ApiPaths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

/** The JSON body of an operation, e.g. `BodyOf<'/checkouts', 'post'>`. */
export type BodyOf<P extends PathsWith<M>, M extends Method> = ApiPaths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** A fresh idempotency key (crypto.randomUUID where available, e.g. plain-http LAN hosts lack it). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
