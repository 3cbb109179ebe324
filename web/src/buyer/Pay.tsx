import { Button, DotLoading, Result } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, type Checkout, errorMessage, newIdempotencyKey, type PaymentStatus } from '../api.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { timeLeft } from './countdown.ts';
import { PayLaterPlaced, type PayMethod, PayMethodChoice, usePayLater } from './trust/PayLater.tsx';
import { creditApi } from './trust/trust-api.ts';
import { ErrorView, Loading, Screen } from './ui.tsx';

const keyName = (checkoutId: string) => `gravity.pay.${checkoutId}`;

/** The key of the current payment attempt for a checkout, kept across reloads so a retry never pays twice. */
function attemptKey(checkoutId: string): string {
  try {
    const saved = sessionStorage.getItem(keyName(checkoutId));
    if (saved) return saved;
    const key = newIdempotencyKey();
    sessionStorage.setItem(keyName(checkoutId), key);
    return key;
  } catch {
    return newIdempotencyKey();
  }
}

function forgetAttempt(checkoutId: string) {
  try {
    sessionStorage.removeItem(keyName(checkoutId));
  } catch {
    // ignore
  }
}

export function PayPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { data, error, loading, reload, setData } = useAsync(
    (signal) => api.get('/checkouts/{id}', { params: { path: { id } }, signal }),
    [id],
  );
  const [paying, setPaying] = useState(false);
  const [payError, setPayError] = useState<string>();
  const [polling, setPolling] = useState(false);
  const [expired, setExpired] = useState(false);
  const markExpired = useCallback(() => setExpired(true), []);
  const memoKey = useRef<string | null>(null);
  const laterKey = useRef<string | null>(null);

  const checkout = data?.checkout;
  const allPaid = checkout?.orders.length
    ? checkout.orders.every((o) => o.status !== 'pending_payment')
    : false;
  // Orders paid while the checkout's own payment never started were placed on credit (先用后付).
  const creditPaid =
    allPaid &&
    (checkout?.paymentStatus === 'unpaid' ||
      (checkout?.orders ?? []).some((o) => o.paymentMethod === 'pay_later'));
  const status: PaymentStatus = creditPaid
    ? 'paid'
    : (checkout?.paymentStatus ?? (allPaid ? 'paid' : 'unpaid'));
  const closed = checkout?.orders.length
    ? checkout.orders.every((o) => o.status === 'cancelled' || o.status === 'expired')
    : false;
  // An order cancelled before paying is not paid for: the amount is the rest of the checkout.
  const open = checkout?.orders.filter((o) => o.status !== 'cancelled' && o.status !== 'expired') ?? [];
  const amountFen = open.length ? open.reduce((sum, o) => sum + o.totalFen, 0) : (checkout?.totalFen ?? 0);

  const poll = useCallback(() => setPolling(true), []);

  // 先用后付: offered when the buyer's credit line covers the amount and every store has opted in.
  const [method, setMethod] = useState<PayMethod>('online');
  const [placedLater, setPlacedLater] = useState(false);
  const [laterRefused, setLaterRefused] = useState<string>();
  // Asked while paying is open, and kept afterwards for the placed order's bill (its due days).
  const later = usePayLater(amountFen, !closed && checkout !== undefined);
  const credit = later.data?.credit ?? null;
  const laterOk = Boolean(later.data?.covers) && !laterRefused;
  const laterWhy =
    laterRefused ??
    (credit?.frozen
      ? t('trustBuyer.payLater.frozen')
      : credit?.reason
        ? t(`trustBuyer.payLater.noLine.${credit.reason}`)
        : t('trustBuyer.payLater.noCredit'));
  const paidLater = placedLater || creditPaid;

  useEffect(() => {
    if (status === 'processing') setPolling(true);
    if (status === 'paid' || status === 'failed') {
      setPolling(false);
      if (status === 'paid') forgetAttempt(id);
    }
  }, [status, id]);

  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    let delay = 800;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const res = await api.get('/checkouts/{id}', { params: { path: { id } } });
        if (stopped) return;
        setData(res);
        const s = res.checkout.paymentStatus;
        if (s === 'paid' || s === 'failed') {
          setPolling(false);
          return;
        }
      } catch {
        // a blip: keep polling
      }
      delay = Math.min(delay * 1.3, 3000);
      if (!stopped) timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [polling, id, setData]);

  const payLater = async () => {
    setPayError(undefined);
    setPaying(true);
    try {
      laterKey.current ??= newIdempotencyKey();
      await creditApi.payLater(id, laterKey.current);
      setPlacedLater(true);
      setData(await api.get('/checkouts/{id}', { params: { path: { id } } }));
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) laterKey.current = null;
      // A store without pay later, or a line too small or frozen: back to paying now.
      if (e instanceof ApiError && e.status === 409 && e.code !== 'payment_in_progress') {
        setLaterRefused(errorMessage(e));
        setMethod('online');
      }
      setPayError(errorMessage(e));
    } finally {
      setPaying(false);
    }
  };

  const pay = async () => {
    if (method === 'pay_later') return payLater();
    setPayError(undefined);
    setPaying(true);
    memoKey.current = attemptKey(id);
    try {
      const res = await api.post('/checkouts/{id}/pay', {
        params: { path: { id }, header: { 'idempotency-key': memoKey.current } },
      });
      if (res.payment.status === 'failed') {
        forgetAttempt(id);
        setData({ checkout: { ...(checkout as Checkout), paymentStatus: 'failed' } });
      } else {
        if (checkout) setData({ checkout: { ...checkout, paymentStatus: 'processing' } });
        poll();
      }
    } catch (e) {
      // Network trouble: keep the key so pressing again retries the same payment. A refusal: start afresh.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) forgetAttempt(id);
      setPayError(errorMessage(e));
    } finally {
      setPaying(false);
    }
  };

  const retry = () => {
    forgetAttempt(id);
    if (checkout) setData({ checkout: { ...checkout, paymentStatus: 'unpaid' } });
    void pay();
  };

  return (
    <Screen title={t('buyer.payTitle')} testId="pay-page">
      {loading && !checkout ? (
        <Loading />
      ) : error && !checkout ? (
        <ErrorView error={error} onRetry={reload} />
      ) : checkout ? (
        <div className="b-pay" data-testid="pay-status" data-status={status}>
          {paidLater ? (
            <Result
              status="success"
              title={<span data-testid="pay-success">{t('trustBuyer.payLater.placed')}</span>}
              description={<PayLaterPlaced amountFen={amountFen} dueDays={credit?.dueDays ?? 7} />}
            />
          ) : status === 'paid' ? (
            <Result
              status="success"
              title={<span data-testid="pay-success">{t('buyer.paySuccess')}</span>}
              description={formatFen(amountFen)}
            />
          ) : status === 'failed' ? (
            <Result
              status="error"
              title={<span data-testid="pay-failed">{t('buyer.payFailed')}</span>}
              description={payError ?? ''}
            />
          ) : status === 'processing' || polling ? (
            <Result
              status="waiting"
              title={
                <span data-testid="pay-processing">
                  {t('buyer.payProcessing')}
                  <DotLoading />
                </span>
              }
              description={formatFen(amountFen)}
            />
          ) : (
            <div className="b-pay-amount">
              <div className="b-muted-sm">{t('buyer.payAmount')}</div>
              <div className="b-price b-price-xl" data-testid="pay-amount">
                {formatFen(amountFen)}
              </div>
              {checkout.expiresAt && !closed && (
                <PayCountdown expiresAt={checkout.expiresAt} onExpired={markExpired} />
              )}
              <div className="b-sandbox-note">{t('buyer.sandboxPay')}</div>
            </div>
          )}

          {status === 'unpaid' && !paidLater && !polling && !closed && !expired && (laterOk || credit) && (
            <PayMethodChoice
              method={method}
              onChange={setMethod}
              credit={credit}
              available={laterOk}
              why={laterWhy}
            />
          )}

          <section className="b-block">
            {checkout.orders.map((o) => (
              <div key={o.id} className="b-pay-order" data-testid="pay-order">
                <span>
                  {o.storeName} · {t('buyer.itemCount', { n: o.lines.reduce((n, l) => n + l.quantity, 0) })}
                </span>
                <span className="b-muted-sm">{t(`buyerApp.status.${o.status}`)}</span>
                <span>{formatFen(o.totalFen)}</span>
              </div>
            ))}
          </section>

          {payError && status !== 'failed' && (
            <div className="b-error-banner" data-testid="pay-error">
              {payError}
            </div>
          )}

          <div className="b-pay-actions">
            {status === 'unpaid' && !paidLater && !polling && !closed && !expired && (
              <Button
                block
                color="primary"
                size="large"
                shape="rounded"
                loading={paying}
                onClick={pay}
                data-testid="pay-button"
              >
                {method === 'pay_later'
                  ? t('trustBuyer.payLater.confirm')
                  : `${t('buyer.payNow')} ${formatFen(amountFen)}`}
              </Button>
            )}
            {status === 'failed' && !closed && (
              <Button
                block
                color="primary"
                size="large"
                shape="rounded"
                loading={paying}
                onClick={retry}
                data-testid="pay-retry"
              >
                {t('buyer.payRetry')}
              </Button>
            )}
            {(status === 'paid' || status === 'failed' || closed || expired) && (
              <Button
                block
                size="large"
                shape="rounded"
                onClick={() =>
                  navigate(checkout.orders.length === 1 ? `/orders/${checkout.orders[0].id}` : '/orders')
                }
                data-testid="view-orders"
              >
                {t('buyer.viewOrders')}
              </Button>
            )}
            {status === 'paid' && (
              <Button block fill="none" onClick={() => navigate('/')}>
                {t('buyer.continueShopping')}
              </Button>
            )}
          </div>
        </div>
      ) : null}
    </Screen>
  );
}

/** Minutes and seconds left to pay, redrawn every second; says so once the order has expired. */
function PayCountdown({ expiresAt, onExpired }: { expiresAt: string; onExpired: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const left = timeLeft(expiresAt, now);
  const expired = left === null;
  useEffect(() => {
    if (expired) return onExpired();
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expired, onExpired]);
  return expired ? (
    <div className="b-pay-expired" data-testid="pay-expired">
      {t('buyerApp.payExpired')}
    </div>
  ) : (
    <div className="b-pay-countdown" data-testid="pay-countdown">
      {t('buyerApp.payCountdown', { time: left })}
    </div>
  );
}
