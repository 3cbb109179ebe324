import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { singleLineText } from '../../platform/text.ts';

/** The events a payment provider sends us by webhook. */
export const providerEventSchema = z.object({
  id: singleLineText({ min: 1, max: 100 }),
  type: z.enum([
    'payment.authorized',
    'payment.failed',
    'payment.captured',
    'refund.succeeded',
    'payout.succeeded',
    'payout.failed',
  ]),
  data: z.object({
    paymentId: z.uuid(),
    providerRef: singleLineText({ min: 1, max: 100 }),
    amountFen: z.number().int().positive(),
    /** ISO 4217; checked against the payment with the amount (a mismatch is never applied). */
    currency: z.string().regex(/^[A-Z]{3}$/),
    refundId: z.uuid().optional(),
    /** payout.succeeded: our payout id (the id of its `refunds` row with paid_as = payout). */
    payoutId: z.uuid().optional(),
    failureReason: singleLineText({ max: 200 }).optional(),
  }),
});
export type ProviderEvent = z.infer<typeof providerEventSchema>;

/**
 * The payment provider port. Every call is idempotent on the id we pass (payment id for
 * authorize and capture, refund id for refund), so a retried or recovered call never charges
 * twice. Outcomes arrive later, by signed webhook.
 */
export interface PaymentProvider {
  /** Starts a charge; the answer is always `pending` (authorized or failed comes by webhook). */
  authorize(req: {
    paymentId: string;
    amountFen: number;
    currency: string;
  }): Promise<{ providerRef: string; status: 'pending' }>;
  capture(req: {
    providerRef: string;
    paymentId: string;
    amountFen: number;
    currency: string;
  }): Promise<void>;
  refund(req: { refundId: string; providerRef: string; amountFen: number }): Promise<void>;
  /**
   * Sends money to the payer of a charge (a transfer to the buyer's payment method, not a refund:
   * not capped by the capture). Idempotent on `payoutId`; `payout.succeeded` comes by webhook.
   */
  payout(req: { payoutId: string; providerRef: string; amountFen: number }): Promise<void>;
  /** The event a webhook carries, or a 401 when its signature is not right. */
  verifyWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent;
  /** The provider's own records of our charges and refunds, for reconciliation. */
  listRecords(): Promise<ProviderRecords>;
}

/** A charge as the provider records it (`paymentId` is our reference). */
export interface ProviderCharge {
  providerRef: string;
  paymentId: string;
  status: 'authorized' | 'failed' | 'captured';
  currency: string;
  amountFen: number;
  capturedFen: number;
  refundedFen: number;
}

/** A refund as the provider records it (`refundId` is our reference). */
export interface ProviderRefund {
  providerRefundRef: string;
  refundId: string;
  providerRef: string;
  amountFen: number;
}

/** A payout as the provider records it (`payoutId` is our reference; `providerRef` the charge paid back to). */
export interface ProviderPayout {
  providerPayoutRef: string;
  payoutId: string;
  providerRef: string;
  amountFen: number;
}

export interface ProviderRecords {
  charges: ProviderCharge[];
  refunds: ProviderRefund[];
  /** Payouts to buyers (absent: none). */
  payouts?: ProviderPayout[];
}

export const SIGNATURE_HEADER = 'x-gravity-signature';
const TOLERANCE_SECONDS = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, like the big providers do. */
export function signWebhook(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

const badSignature = () => new AppError(401, 'bad_signature', 'The webhook signature is not valid');

/** Checks the HMAC in constant time and that the signature is recent (replay window). */
export function verifySignedEvent(
  secret: string,
  rawBody: string,
  header: string | undefined,
  now: Date,
): ProviderEvent {
  if (!header || header.length > 300) throw badSignature();
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(given)) throw badSignature();
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw badSignature();
  if (Math.abs(now.getTime() / 1000 - t) > TOLERANCE_SECONDS) throw badSignature();
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError(400, 'bad_event', 'The webhook body is not JSON');
  }
  const parsed = providerEventSchema.safeParse(json);
  if (!parsed.success) throw new AppError(400, 'bad_event', 'The webhook event is not understood');
  return parsed.data;
}
