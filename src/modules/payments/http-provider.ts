import type { Clock } from '../../platform/clock.ts';
import type { PaymentProvider, ProviderEvent, ProviderRecords } from './provider.ts';
import { verifySignedEvent } from './provider.ts';

/** What a provider call takes, as the PaymentProvider interface says. */
type Request<K extends 'authorize' | 'capture' | 'refund' | 'payout'> = Parameters<PaymentProvider[K]>[0];

/**
 * The payment provider over HTTP (PAYMENT_PROVIDER_URL): the API `gravity sandbox-provider` serves
 * (sandbox-server.ts), as a real provider's would be. Every call is idempotent at the provider on the
 * id we pass, so a call retried after a timeout never charges twice; outcomes come by signed webhook,
 * verified here with the shared secret.
 */
export class HttpPaymentProvider implements PaymentProvider {
  constructor(
    private readonly options: { baseUrl: string; secret: string; clock: Clock; timeoutMs?: number },
  ) {}

  authorize(req: Request<'authorize'>): Promise<{ providerRef: string; status: 'pending' }> {
    return this.call('POST', '/v1/authorize', req);
  }

  async capture(req: Request<'capture'>): Promise<void> {
    await this.call('POST', '/v1/capture', req);
  }

  async refund(req: Request<'refund'>): Promise<void> {
    await this.call('POST', '/v1/refund', req);
  }

  async payout(req: Request<'payout'>): Promise<void> {
    await this.call('POST', '/v1/payout', req);
  }

  listRecords(): Promise<ProviderRecords> {
    return this.call('GET', '/v1/records');
  }

  verifyWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent {
    return verifySignedEvent(this.options.secret, rawBody, signatureHeader, this.options.clock.now());
  }

  /** One request; a non-2xx answer throws with the provider's message (the caller retries later). */
  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: the text as it came
      }
      throw new Error(`payment provider ${method} ${path}: ${res.status} ${message.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
