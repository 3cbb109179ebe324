import { z } from 'zod';

/** The answers of the health checks (README "Health checks"); app.ts serves them. */
export const healthUp = z.object({ status: z.literal('ok'), db: z.literal('up'), time: z.iso.datetime() });
export const healthDegraded = z.object({
  status: z.literal('degraded'),
  db: z.literal('down'),
  time: z.iso.datetime(),
});
export const liveness = z.object({ status: z.literal('ok') });
export const readinessUp = z.object({ status: z.literal('ready'), db: z.literal('up') });
export const readinessDown = z.object({ status: z.literal('unavailable'), db: z.literal('down') });
