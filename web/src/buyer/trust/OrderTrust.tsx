import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Order, OrderLine } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import { type Breakdown, creditApi, type QuoteDiscount } from './trust-api.ts';

type LineMoney = {
  listPriceFen?: number;
  listUnitFen?: number;
  paidFen?: number;
  discounts?: Array<Partial<QuoteDiscount> & { fen?: number }>;
  refundedFen?: number;
};

/** An order line's price breakdown, as the order stored it (list price, discounts with their funders, paid). */
export function orderLineQuote(line: OrderLine): Breakdown | null {
  const m = line as OrderLine & LineMoney;
  const listUnitFen = m.listPriceFen ?? m.listUnitFen;
  if (listUnitFen === undefined) return null;
  const discounts = (m.discounts ?? []).map((d) => ({
    kind: d.kind ?? ('other' as QuoteDiscount['kind']),
    id: d.id ?? '',
    funder: d.funder === 'platform' ? ('platform' as const) : ('merchant' as const),
    fen: Math.abs(d.fen ?? 0),
  }));
  const paidFen = m.paidFen ?? listUnitFen * line.quantity - discounts.reduce((n, d) => n + d.fen, 0);
  return {
    lines: [
      {
        skuId: line.skuId,
        quantity: line.quantity,
        listUnitFen,
        unitFen: line.unitPriceFen,
        paidFen,
        discounts,
      },
    ],
    totalFen: paidFen,
    listTotalFen: listUnitFen * line.quantity,
  };
}

/** The order's payment method: pay later ('pay_later') or online. */
export const isPayLater = (order: Order) =>
  (order as Order & { paymentMethod?: string }).paymentMethod === 'pay_later';

/** On a pay-later order: its bill (amount, due date, status) and a way to all bills. */
export function OrderBill({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const later = isPayLater(order);
  const { data } = useAsync(
    async (signal) => {
      if (!later) return null;
      const bills = await creditApi.bills(signal).catch(() => []);
      return bills.find((b) => b.orderId === order.id) ?? null;
    },
    [order.id, later, order.status],
  );
  if (!later) return null;
  return (
    <section className="b-block tb-order-bill" data-testid="order-bill" data-status={data?.status ?? ''}>
      <div className="tb-protection-head">
        <span className="b-block-title">
          {t('trustBuyer.payLater.name')} <span className="tb-later-tag">{t('trustBuyer.payLater.tag')}</span>
        </span>
        {data && (
          <span className={`tb-bill-status tb-bill-status-${data.status}`} data-testid="order-bill-status">
            {t(`trustBuyer.bills.status.${data.status}`)}
          </span>
        )}
      </div>
      {data ? (
        <div className="tb-payout">
          <span className="b-muted-sm">
            {data.paidAt
              ? t('trustBuyer.bills.chargedAt', { time: formatTime(data.paidAt, i18n.language) })
              : data.dueAt
                ? t('trustBuyer.bills.dueAt', { time: formatTime(data.dueAt, i18n.language) })
                : t('trustBuyer.bills.dueAfterReceipt')}
          </span>
          <b data-testid="order-bill-amount">{formatFen(data.amountFen)}</b>
        </div>
      ) : (
        <div className="b-muted-sm">{t('trustBuyer.bills.dueAfterReceipt')}</div>
      )}
      <button type="button" className="b-link-plain b-link b-muted-sm" onClick={() => navigate('/me/bills')}>
        {t('trustBuyer.payLater.seeBills')} ›
      </button>
    </section>
  );
}
