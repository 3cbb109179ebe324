import { Button, Dialog, Image, Steps, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorMessage, newIdempotencyKey, type Order } from '../api.ts';
import { formatFen } from '../money.ts';
import { carrierName } from '../shared/carriers.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';
import { LineReviewOf, useOrderReviews } from './reviews/OrderReviews.tsx';
import { FitFeedback, useOrderAftercare } from './sizing/OrderFit.tsx';
import { LineAftersale, useOrderAftersale } from './trust/Aftersale.tsx';
import { GuaranteeBadges, useGuarantees } from './trust/Badges.tsx';
import { OrderBill, orderLineQuote } from './trust/OrderTrust.tsx';
import { PriceProtectionBlock } from './trust/PriceProtection.tsx';
import { TappablePrice } from './trust/PriceSheet.tsx';
import { ErrorView, Loading, Screen } from './ui.tsx';

const LIVE_STATES = new Set(['pending_payment', 'paid', 'shipped', 'delivered']);

export function OrderDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data, error, loading, reload, setData } = useAsync(
    (signal) => api.get('/orders/{id}', { params: { path: { id } }, signal }),
    [id],
  );
  const order = data?.order;
  // Orders move on their own (payment webhook, carrier): refresh while the order is still moving.
  useEffect(() => {
    if (!order || !LIVE_STATES.has(order.status)) return;
    const timer = setInterval(async () => {
      try {
        setData(await api.get('/orders/{id}', { params: { path: { id } } }));
      } catch {
        // keep the last view
      }
    }, 5000);
    return () => clearInterval(timer);
  }, [order, id, setData]);

  return (
    <Screen title={t('buyer.orderDetail')} testId="order-detail-page">
      {loading && !order ? (
        <Loading rows={8} />
      ) : error && !order ? (
        <ErrorView error={error} onRetry={reload} />
      ) : order ? (
        <OrderView order={order} onChange={(o) => setData({ order: o })} reload={reload} />
      ) : null}
    </Screen>
  );
}

function OrderView({
  order,
  onChange,
  reload,
}: {
  order: Order;
  onChange: (o: Order) => void;
  reload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<string>();
  const keys = useRef<Record<string, string>>({});
  const lang = i18n.language;
  const aftercare = useOrderAftercare(order);
  const reviews = useOrderReviews(order);
  const delivered = order.status === 'delivered' || order.status === 'completed';
  const aftersale = useOrderAftersale(order, delivered || order.status === 'refunded');
  const storeGuarantees = useGuarantees(order.storeId);
  // Pay later is a promise of this order only when it was placed that way (or can still be, unpaid).
  const guarantees = storeGuarantees && {
    ...storeGuarantees,
    payLater:
      storeGuarantees.payLater && (order.paymentMethod === 'pay_later' || order.status === 'pending_payment'),
  };

  const act = async (action: 'cancel' | 'confirm-receipt', question: string) => {
    const ok = await Dialog.confirm({
      content: question,
      confirmText: <span data-testid="dialog-confirm">{t('common.confirm')}</span>,
      cancelText: <span data-testid="dialog-cancel">{t('common.cancel')}</span>,
    });
    if (!ok) return;
    setBusy(action);
    try {
      // One key per action on this order: pressing again after a lost answer replays the first result.
      keys.current[action] ??= newIdempotencyKey();
      const init = {
        params: { path: { id: order.id }, header: { 'idempotency-key': keys.current[action] } },
      };
      const res =
        action === 'cancel'
          ? await api.post('/orders/{id}/cancel', init)
          : await api.post('/orders/{id}/confirm-receipt', init);
      onChange(res.order);
      Toast.show({ icon: 'success', content: t(`orderAction.${action}`) });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
      reload();
    } finally {
      setBusy(undefined);
    }
  };

  const steps = timeline(order);
  const hasActions = ['pending_payment', 'paid', 'shipped', 'delivered'].includes(order.status);
  const count = order.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <div className="b-order-detail" data-testid="order-detail" data-order-id={order.id}>
      <div className={`b-status-hero b-status-hero-${order.status}`}>
        <div className="b-status-big" data-testid="order-status" data-status={order.status}>
          {t(`buyerApp.status.${order.status}`)}
        </div>
        {order.closeReason && i18n.exists(`orderClose.reason.${order.closeReason}`) && (
          <div className="b-muted-light" data-testid="order-close-reason">
            {t(`orderClose.reason.${order.closeReason}`)}
          </div>
        )}
        {guarantees && (
          <div className="tb-hero-badges">
            <GuaranteeBadges guarantees={guarantees} compact />
          </div>
        )}
        {order.status === 'pending_payment' && order.expiresAt && (
          <div className="b-muted-light" data-testid="order-pay-by">
            {t('orderClose.payBy', { time: formatTime(order.expiresAt, lang) })}
          </div>
        )}
      </div>

      <section className="b-block">
        <div className="b-block-title">{t('buyer.timeline')}</div>
        <Steps direction="vertical" data-testid="order-timeline">
          {steps.map((s) => (
            <Steps.Step
              key={s.key}
              title={t(`buyer.${s.key}`)}
              description={s.at ? formatTime(s.at, lang) : ''}
              status={s.status}
            />
          ))}
        </Steps>
        {order.trackingNo && (
          <div className="b-kv" data-testid="order-tracking">
            {t('buyer.carrier')}: {order.carrier && carrierName(t, order.carrier)} · {t('buyer.trackingNo')}:{' '}
            {order.trackingNo}
          </div>
        )}
      </section>

      <section className="b-block">
        <div className="b-block-title">{t('buyer.address')}</div>
        <div>
          {order.address.name} {order.address.phone}
        </div>
        <div className="b-muted-sm">
          {order.address.province} {order.address.city} {order.address.district} {order.address.detail}
        </div>
      </section>

      <section className="b-block">
        <button
          type="button"
          className="b-block-title b-link-plain"
          onClick={() => navigate(`/store/${order.storeId}`)}
        >
          {order.storeName} ›
        </button>
        {order.lines.map((l) => (
          <div key={l.skuId} data-testid="order-line" data-sku-id={l.skuId}>
            <button
              type="button"
              className="b-line b-line-compact b-link-plain"
              onClick={() => navigate(`/product/${l.productId}`)}
            >
              <Image src={l.image} width={56} height={56} fit="cover" className="b-line-img" />
              <div className="b-line-body">
                <div className="b-line-title">{l.title}</div>
                <div className="b-muted-sm">{[l.size, l.color].filter(Boolean).join(' / ')}</div>
              </div>
              <div className="b-line-right">
                <span>{formatFen(l.unitPriceFen)}</span>
                <div className="b-muted-sm">×{l.quantity}</div>
              </div>
            </button>
            <LineMoney line={l} />
            <LineReviewOf orderId={order.id} line={reviews.lines.get(l.skuId)} onChange={reviews.reload} />
            {/* The review form asks the fit question; the size assistant's own prompt only where it cannot. */}
            {delivered &&
              reviews.settled &&
              !reviews.covers(l.skuId) &&
              aftercare.data?.apparel.has(l.productId) && (
                <FitFeedback order={order} line={l} told={aftercare.data.told.get(l.skuId)} />
              )}
            {(delivered || order.status === 'refunded') && aftersale.data && (
              <LineAftersale
                order={order}
                line={l}
                requests={aftersale.data}
                onChange={(r) =>
                  aftersale.data && aftersale.setData([r, ...aftersale.data.filter((x) => x.id !== r.id)])
                }
              />
            )}
          </div>
        ))}
        <div className="b-order-foot">
          <span className="b-muted-sm">{t('buyer.itemCount', { n: count })}</span>
          <span>
            {t('common.total')} <b className="b-price">{formatFen(order.totalFen)}</b>
          </span>
        </div>
      </section>

      <OrderBill order={order} />
      <PriceProtectionBlock order={order} onPaid={reload} />

      <section className="b-block b-kvs">
        <div className="b-kv">
          {t('buyer.orderNo')}: <span data-testid="order-no">{order.orderNo}</span>
        </div>
        <div className="b-kv">
          {t('buyer.createdAt')}: {formatTime(order.createdAt, lang)}
        </div>
        {order.paidAt && (
          <div className="b-kv">
            {t('buyer.paidAt')}: {formatTime(order.paidAt, lang)}
          </div>
        )}
      </section>

      <div className="b-actionbar b-actionbar-right" hidden={!hasActions}>
        {(order.status === 'pending_payment' || order.status === 'paid') && (
          <Button
            shape="rounded"
            loading={busy === 'cancel'}
            onClick={() => act('cancel', t('buyer.cancelConfirm'))}
            data-testid="cancel-order"
          >
            {t('buyer.cancelOrder')}
          </Button>
        )}
        {order.status === 'pending_payment' && (
          <Button
            color="primary"
            shape="rounded"
            onClick={() => navigate(`/pay/${order.checkoutId}`)}
            data-testid="order-pay"
          >
            {t('buyer.payOrder')}
          </Button>
        )}
        {(order.status === 'shipped' || order.status === 'delivered') && (
          <Button
            color="primary"
            shape="rounded"
            loading={busy === 'confirm-receipt'}
            onClick={() => act('confirm-receipt', t('buyer.confirmReceiptConfirm'))}
            data-testid="confirm-receipt"
          >
            {t('buyer.confirmReceipt')}
          </Button>
        )}
      </div>
    </div>
  );
}

type StepStatus = 'wait' | 'process' | 'finish' | 'error';

/** Done steps from the order's timestamps, then the steps still ahead on the happy path. */
function timeline(order: Order): Array<{ key: string; at: string | null; status: StepStatus }> {
  const steps: Array<{ key: string; at: string | null; status: StepStatus }> = [];
  const done: Array<[string, string | null]> = [
    ['createdAt', order.createdAt],
    ['paidAt', order.paidAt],
    ['shippedAt', order.shippedAt],
    ['deliveredAt', order.deliveredAt],
    ['completedAt', order.completedAt],
  ];
  for (const [key, at] of done) if (at) steps.push({ key, at, status: 'finish' });
  if (order.closedAt) {
    steps.push({ key: 'closedAt', at: order.closedAt, status: 'error' });
    return steps;
  }
  const ahead = ['paidAt', 'shippedAt', 'completedAt'].filter((k) => !steps.some((s) => s.key === k));
  if (order.status === 'completed') return steps;
  for (const key of ahead) steps.push({ key, at: null, status: 'wait' });
  return steps;
}

/** Under an order line: what it cost after discounts (tap for the breakdown), and what came back. */
function LineMoney({ line }: { line: Order['lines'][number] }) {
  const { t } = useTranslation();
  const quote = orderLineQuote(line);
  const refunded = line.refundedFen;
  if (!quote && refunded === 0) return null;
  return (
    <div className="tb-line-money" data-testid="order-line-money">
      {quote && (
        <TappablePrice quote={quote} testId="order-line-price">
          <span className="b-muted-sm">
            {t('trustBuyer.finalPrice')} {formatFen(quote.totalFen)}
          </span>
        </TappablePrice>
      )}
      {refunded > 0 && (
        <span className="tb-line-refunded" data-testid="order-line-refunded">
          {t('trustBuyer.aftersale.refunded', { amount: formatFen(refunded) })}
        </span>
      )}
    </div>
  );
}
