import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor, SESSION_COOKIE, signedIn } from '../../platform/auth.ts';
import { zodApi } from '../../platform/routes.ts';
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
          summary: 'Send a sign-in code by SMS (sandbox: printed to the server log)',
          body: z.object({ phone: phoneSchema }).strict(),
        },
      },
      async (req) => identity.requestCode(req.body.phone, req.ip),
    );

    app.post(
      '/auth/sign-in',
      {
        schema: {
          tags,
          summary: 'Sign in (or sign up) with the SMS code',
          body: z
            .object({
              phone: phoneSchema,
              code: z.string().regex(/^\d{6}$/, 'six digits'),
              role: z.enum(['buyer', 'merchant', 'operator']).default('buyer'),
            })
            .strict(),
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
        return { account: actor };
      },
    );

    app.post('/auth/sign-out', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await identity.signOut(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { signedOut: true };
    });

    app.get(
      '/me',
      { config: signedIn(), schema: { tags, summary: 'The signed-in account' } },
      async (req) => {
        const actor = requireActor(req);
        const profile = await identity.profile(actor.accountId);
        return { account: { ...profile, storeId: actor.storeId } };
      },
    );
  };
}
