import { Button, Image, Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Order } from '../api.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { EmptyView, ErrorView, Loading, Screen } from './ui.tsx';

export const BUYER_TABS = ['all', 'pending_payment', 'paid', 'shipped', 'completed', 'cancelled'] as const;
export type BuyerTab = (typeof BUYER_TABS)[number];

/** The order statuses each tab lists: "to receive" is shipped or delivered, "cancelled" includes closed unpaid. */
export const TAB_FILTER: Record<BuyerTab, string | undefined> = {
  all: undefined,
  pending_payment: 'pending_payment',
  paid: 'paid',
  shipped: 'shipped,delivered',
  completed: 'completed',
  cancelled: 'cancelled,expired',
};

export function OrdersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('status');
  const status: BuyerTab = BUYER_TABS.find((tab) => tab === asked) ?? 'all';
  const { data, error, loading, reload } = useAsync(
    (signal) =>
      api.get('/orders', {
        params: { query: { status: TAB_FILTER[status], page: 1, pageSize: 50 } },
        signal,
      }),
    [status],
  );
  return (
    <Screen title={t('buyer.myOrders')} testId="orders-page">
      <Tabs
        activeKey={status}
        onChange={(k) => setParams({ status: k }, { replace: true })}
        className="b-order-tabs"
      >
        {BUYER_TABS.map((s) => (
          <Tabs.Tab
            key={s}
            title={
              <span data-testid={`orders-tab-${s}`}>
                {s === 'all' ? t('common.all') : t(`buyerApp.status.${s}`)}
              </span>
            }
          />
        ))}
      </Tabs>
      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : !data || data.items.length === 0 ? (
        <EmptyView text={t('buyer.noOrders')} />
      ) : (
        <div className="b-orders">
          {data.items.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </div>
      )}
    </Screen>
  );
}

function OrderCard({ order }: { order: Order }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const count = order.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <div className="b-order" data-testid="order-card" data-order-id={order.id}>
      <button type="button" className="b-order-main" onClick={() => navigate(`/orders/${order.id}`)}>
        <div className="b-order-head">
          <span className="b-order-store">{order.storeName}</span>
          <span
            className={`b-status b-status-${order.status}`}
            data-testid="order-status"
            data-status={order.status}
          >
            {t(`buyerApp.status.${order.status}`)}
          </span>
        </div>
        {order.lines.slice(0, 3).map((l) => (
          <div key={l.skuId} className="b-line b-line-compact">
            <Image src={l.image} width={56} height={56} fit="cover" className="b-line-img" />
            <div className="b-line-body">
              <div className="b-line-title">{l.title}</div>
              <div className="b-muted-sm">{[l.size, l.color].filter(Boolean).join(' / ')}</div>
            </div>
            <div className="b-line-right">
              <span>{formatFen(l.unitPriceFen)}</span>
              <div className="b-muted-sm">×{l.quantity}</div>
            </div>
          </div>
        ))}
        <div className="b-order-foot">
          <span className="b-muted-sm">
            {t('buyer.orderNo')} {order.orderNo}
          </span>
          <span>
            {t('buyer.itemCount', { n: count })} · {t('common.total')}{' '}
            <b data-testid="order-total">{formatFen(order.totalFen)}</b>
          </span>
        </div>
      </button>
      {order.status === 'pending_payment' && (
        <div className="b-order-actions">
          <Button
            size="small"
            color="primary"
            shape="rounded"
            onClick={() => navigate(`/pay/${order.checkoutId}`)}
            data-testid="order-pay"
          >
            {t('buyer.payOrder')}
          </Button>
        </div>
      )}
    </div>
  );
}
