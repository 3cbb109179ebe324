import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, SESSION_COOKIE, signedIn } from '../../platform/auth.ts';
import { zodApi } from '../../platform/routes.ts';
import { accountAnswerSchema, signedOutSchema, smsCodeSentSchema } from './api-schema.ts';
import { phoneSchema } from './phone.ts';
import type { IdentityService } from './service.ts';

const tags = ['identity'];

export function identityRoutes(identity: IdentityService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/auth/sms-code',
      {
        schema: {
          tags,
          operationId: 'requestSmsCode',
          summary: 'Send a sign-in code by SMS (sandbox: printed to the server log)',
          body: z.object({ phone: phoneSchema }).strict(),
          response: { 200: smsCodeSentSchema.describe('The code was sent') },
        },
      },
      async (req) => identity.requestCode(req.body.phone, req.ip),
    );

    app.post(
      '/auth/sign-in',
      {
        schema: {
          tags,
          operationId: 'signIn',
          summary: 'Sign in (or sign up) with the SMS code; the answer sets the session cookie',
          body: z
            .object({
              phone: phoneSchema,
              code: z.string().regex(/^\d{6}$/, 'six digits'),
              role: z.enum(['buyer', 'merchant', 'operator']).default('buyer'),
            })
            .strict(),
          response: {
            200: accountAnswerSchema.describe('Signed in: the account (the session cookie is set)'),
          },
        },
      },
      async (req, reply) => {
        const { token, actor } = await identity.signIn(req.body.phone, req.body.code, req.body.role, req.ip);
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: req.protocol === 'https',
          maxAge: 30 * 24 * 3600,
        });
        return { account: await identity.account(actor) };
      },
    );

    app.post(
      '/auth/sign-out',
      {
        schema: {
          tags,
          operationId: 'signOut',
          summary: 'Sign out: ends the session and clears its cookie',
          response: { 200: signedOutSchema.describe('Signed out') },
        },
      },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        if (token) await identity.signOut(token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { signedOut: true as const };
      },
    );

    app.get(
      '/me',
      {
        config: signedIn(),
        schema: {
          tags,
          operationId: 'getMe',
          summary: 'The signed-in account',
          response: { 200: accountAnswerSchema.describe('The signed-in account') },
        },
      },
      async (req) => ({ account: await identity.account(routeActor(req)) }),
    );
  };
}
