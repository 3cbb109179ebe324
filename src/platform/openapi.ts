import type { SwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from './auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` for a route that never reaches the database (liveness): it cannot answer 503 `database_unavailable`. */
    usesDatabase?: boolean;
  }
}

/** The body of every error answer (src/platform/http-errors.ts): `{ error: { code, message, details? } }`. */
export const errorBody = z
  .object({
    error: z.object({
      code: z
        .string()
        .meta({ description: 'What went wrong, for programs: `validation_failed`, `not_found` …' }),
      message: z
        .string()
        .meta({ description: 'What went wrong, in English, for developers (not for end users)' }),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'More about it; for `validation_failed` the fields' }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBody>;

/**
 * An error answer for a route's `schema.response`, e.g. `409: errorResponse('The order is not paid')`.
 * Routes declare the refusals that are theirs; `documentRoute` adds those every route shares.
 */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: errorBody } } };
}

/** The OpenAPI tags, one per module (a route's `schema.tags` is its module's name). */
export const API_TAGS = [
  { name: 'identity', description: 'Sign-in by SMS code, sessions and accounts' },
  { name: 'merchants', description: 'Merchants and their stores' },
  { name: 'catalog', description: 'Categories, products, SKUs, stock and media' },
  { name: 'pricing', description: 'The final price (quote), coupons, low-price subsidies and price history' },
  { name: 'orders', description: 'Cart, checkout, orders, shipping and the merchant dashboard' },
  { name: 'payments', description: 'Payments, refunds, the ledger and the payment provider webhook' },
  { name: 'sizing', description: 'The size assistant: body profiles, recommendations and their metrics' },
  { name: 'aftersale', description: 'After-sale requests (returns and exchanges)' },
  {
    name: 'guarantees',
    description:
      'The promises the platform keeps by itself: 7-day price protection, and what each guarantee costs',
  },
  {
    name: 'reviews',
    description:
      "Reviews of delivered order lines, the product and store ratings, the merchant's reply and reports, moderation",
  },
  { name: 'addresses', description: "The buyer's address book" },
  {
    name: 'traffic',
    description:
      'The feed, its impressions and clicks, and the traffic plans: cold-start minimums, launch credits, Fuyao',
  },
  {
    name: 'videos',
    description:
      'Short videos: upload, posters, publishing with product and live-session links, the vertical feed',
  },
  {
    name: 'replays',
    description:
      'After a live session: hit products, replay clips (返场) cut from the recording, the short–live–short loop and GMV by channel',
  },
  { name: 'inbox', description: "The buyer's notification centre: notices kept and pushed live" },
  {
    name: 'live',
    description:
      'Live sessions: scheduling, reservations, the room (viewers, comments, pins, sales ticker, coupons)',
  },
  {
    name: 'ingest',
    description: 'The live ingest: RTMP URL and stream key, on-air status and HTTP-FLV playback of a session',
  },
  { name: 'ops', description: 'The operator console: platform-wide lists and actions' },
  {
    name: 'credit',
    description: 'Use first, pay later: credit policy and lines, pay-later checkout, bills and overdue debt',
  },
  {
    name: 'flashsales',
    description: 'Flash sales (秒杀): units of a SKU at a price for a window, started from the live console',
  },
  {
    name: 'social',
    description:
      'Follows and fans (私域): following stores, fans by source, follow-store and fan-only coupons, the fan-growth plan',
  },
  {
    name: 'growth',
    description:
      'Merchant growth: the newbie village checklist and rewards, incentive programmes and what a store earned',
  },
  {
    name: 'analytics',
    description: "The platform's and a store's figures by month, with month-on-month and year-on-year change",
  },
  { name: 'platform', description: 'Health checks and dead letters of the background workers' },
];

const hasInput = (schema: NonNullable<RouteOptions['schema']>) =>
  Boolean(schema.body || schema.querystring || schema.params || schema.headers);

/**
 * The error answers a route can give, from what it declares: input → 400, roles → 401/403, a write → 403
 * (a cross-site write is refused, platform/csrf.ts), a path parameter → 404, every route → other 4xx and
 * 500, and 503 while the database is down. A status the route declares itself is kept.
 */
export function sharedErrorResponses(route: Pick<RouteOptions, 'method' | 'schema' | 'config'>) {
  const schema = route.schema ?? {};
  const roles = route.config?.roles;
  const methods = [route.method].flat();
  const writes = methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m));
  const responses: Record<string, ReturnType<typeof errorResponse>> = {};
  if (hasInput(schema))
    responses[400] = errorResponse(
      'The request is not valid (`validation_failed`, with the fields in `details`) or carries a value that is not acceptable (`bad_request`)',
    );
  if (roles) responses[401] = errorResponse('Not signed in (`unauthorized`)');
  if (roles || writes)
    responses[403] = errorResponse(
      roles
        ? `Signed in, but not as ${roles.join(' or ')}, or not allowed to do this (\`forbidden\`)`
        : 'A write from another site (`forbidden`)',
    );
  if (schema.params) responses[404] = errorResponse('It does not exist, or is not yours (`not_found`)');
  responses['4xx'] = errorResponse(
    'Any other refusal, e.g. a conflict with the current state (409), a broken business rule (422), too many requests (429, with Retry-After) or a body too large (413); `code` says which',
  );
  responses[500] = errorResponse('A fault on our side (`internal`); retrying may help');
  if (route.config?.usesDatabase !== false)
    responses[503] = errorResponse(
      'The database is unavailable right now (`database_unavailable`); retry after the Retry-After seconds',
    );
  return responses;
}

/**
 * The app's onRoute hook: gives each documented route its error answers and its security — a session
 * (the `session` cookie) with `x-roles` for a route that declares `config: signedIn(...)`, none otherwise.
 */
export function documentRoute(route: RouteOptions): void {
  const schema = route.schema as (RouteOptions['schema'] & { hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  const roles = route.config?.roles;
  route.schema = {
    ...schema,
    response: { ...sharedErrorResponses(route), ...(schema.response as object | undefined) },
    ...(roles
      ? {
          security: [{ session: [] }],
          'x-roles': [...roles],
          description: [schema.description, `Needs a session: ${roles.join(' or ')}.`]
            .filter(Boolean)
            .join(' '),
        }
      : { security: [] }),
  };
}

/** The @fastify/swagger options: document header, session scheme, tags and the zod transforms. */
export function swaggerOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gravity API',
        description:
          '引力 — live & short-video commerce. Errors answer `{ error: { code, message, details? } }`.',
        version: '0.1.0',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      // Relative: the document describes the server that serves it, wherever it runs.
      servers: [{ url: '/', description: 'The server this document came from' }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The session cookie set by `POST /api/v1/auth/sign-in`',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => withoutUnusedSchemas(jsonSchemaTransformObject(document)),
  };
}

/**
 * The zod provider lists every schema registered with an `id` twice, as it is read (`…Input`) and as
 * it is written; a document keeps only the component schemas something refers to.
 */
function withoutUnusedSchemas(
  document: ReturnType<SwaggerTransformObject>,
): ReturnType<SwaggerTransformObject> {
  const doc = document as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (!schemas) return document;
  const refs = (value: unknown) =>
    new Set([...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
  const { components, ...rest } = doc;
  // Referenced from the paths, then whatever those refer to, until nothing new turns up.
  const used = refs(rest);
  for (let size = 0; size !== used.size; ) {
    size = used.size;
    for (const name of [...used]) for (const ref of refs(schemas[name as string])) used.add(ref);
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...rest, components: { ...components, schemas: kept } } as ReturnType<SwaggerTransformObject>;
}
