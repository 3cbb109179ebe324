/**
 * What the identity module's routes answer. The service's types are inferred from these schemas, so a
 * field the code returns but a schema leaves out (which the serializer would strip) fails the typecheck.
 */
import { z } from 'zod';

export const smsCodeSentSchema = z.object({
  sent: z.literal(true),
  sandboxCode: z
    .string()
    .optional()
    .meta({ description: 'The code itself, only where the sandbox SMS is set to show it (development)' }),
});
export type SmsCodeSent = z.infer<typeof smsCodeSentSchema>;

/** The signed-in account, as sign-in and `GET /me` answer it. */
export const accountSchema = z
  .object({
    id: z.string(),
    phone: z.string(),
    role: z.enum(['buyer', 'merchant', 'operator']),
    nickname: z.string(),
    storeId: z.string().nullable().meta({ description: 'For merchant staff: their store, once it is open' }),
    createdAt: z.date(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

export const accountAnswerSchema = z.object({ account: accountSchema });

export const signedOutSchema = z.object({ signedOut: z.literal(true) });
