import { Tag } from 'antd-mobile';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatFen } from '../../money.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';
import { type Bill, type CreditLine, creditApi, creditCovers } from './trust-api.ts';

export type PayMethod = 'online' | 'pay_later';

/**
 * The buyer's pay-later line, when paying `amountFen` is on the table. Whether every store of the order
 * takes pay later is the server's to say: it refuses with `pay_later_not_offered`, and the page says so.
 */
export function usePayLater(amountFen: number, enabled: boolean) {
  return useAsync(
    async (signal): Promise<{ credit: CreditLine | null; covers: boolean }> => {
      if (!enabled) return { credit: null, covers: false };
      const credit = await creditApi.mine(signal).catch(() => null);
      return { credit, covers: creditCovers(credit, amountFen) };
    },
    [amountFen, enabled],
  );
}

/** The pay page's choice: pay now, or use first and pay later (when offered). */
export function PayMethodChoice({
  method,
  onChange,
  credit,
  available,
  why,
}: {
  method: PayMethod;
  onChange: (m: PayMethod) => void;
  credit: CreditLine | null;
  available: boolean;
  /** Why pay later is not offered, when it is not. */
  why?: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="b-block tb-methods" data-testid="pay-methods">
      <button
        type="button"
        className={`tb-method${method === 'online' ? ' on' : ''}`}
        aria-pressed={method === 'online'}
        onClick={() => onChange('online')}
        data-testid="pay-method-online"
      >
        <span className="tb-radio" aria-hidden />
        <span className="tb-method-body">
          <span className="tb-method-name">{t('trustBuyer.payLater.online')}</span>
          <span className="b-muted-sm">{t('trustBuyer.payLater.onlineHelp')}</span>
        </span>
      </button>
      {(available || credit) && (
        <button
          type="button"
          className={`tb-method${method === 'pay_later' ? ' on' : ''}${available ? '' : ' off'}`}
          aria-pressed={method === 'pay_later'}
          disabled={!available}
          onClick={() => onChange('pay_later')}
          data-testid="pay-method-later"
        >
          <span className="tb-radio" aria-hidden />
          <span className="tb-method-body">
            <span className="tb-method-name">
              {t('trustBuyer.payLater.name')}{' '}
              <span className="tb-later-tag">{t('trustBuyer.payLater.tag')}</span>
            </span>
            <span className="b-muted-sm">
              {available && credit
                ? t(credit.dueDays > 0 ? 'trustBuyer.payLater.help' : 'trustBuyer.payLater.helpAtReceipt', {
                    days: credit.dueDays,
                    available: formatFen(credit.availableFen),
                  })
                : why}
            </span>
          </span>
        </button>
      )}
    </section>
  );
}

/** After a pay-later order is placed: the bill it will be, charged N days after receipt. */
export function PayLaterPlaced({ amountFen, dueDays }: { amountFen: number; dueDays: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="tb-later-placed" data-testid="pay-later-placed">
      <div className="tb-later-amount">{formatFen(amountFen)}</div>
      <div className="b-muted-sm">
        {dueDays > 0
          ? t('trustBuyer.payLater.placedHelp', { days: dueDays })
          : t('trustBuyer.payLater.placedHelpAtReceipt')}
      </div>
      <button
        type="button"
        className="b-link-plain b-link tb-see-bills"
        onClick={() => navigate('/me/bills')}
      >
        {t('trustBuyer.payLater.seeBills')} ›
      </button>
    </div>
  );
}

const STATUS_COLOR: Record<Bill['status'], string> = {
  open: 'primary',
  charging: 'primary',
  paid: 'success',
  overdue: 'danger',
  closed: 'default',
};

function BillRow({ bill }: { bill: Bill }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="tb-bill"
      onClick={() => bill.orderId && navigate(`/orders/${bill.orderId}`)}
      data-testid="bill"
      data-status={bill.status}
      data-order-id={bill.orderId}
    >
      <div className="tb-bill-main">
        <div className="tb-bill-amount" data-testid="bill-amount">
          {formatFen(bill.amountFen)}
        </div>
        {bill.originalFen !== bill.amountFen && (
          <div className="b-muted-sm" data-testid="bill-original">
            {t('trustBuyer.bills.original', { amount: formatFen(bill.originalFen) })}
          </div>
        )}
        <div className="b-muted-sm" data-testid="bill-due">
          {bill.paidAt
            ? t('trustBuyer.bills.chargedAt', { time: formatTime(bill.paidAt, i18n.language) })
            : bill.dueAt
              ? t('trustBuyer.bills.dueAt', { time: formatTime(bill.dueAt, i18n.language) })
              : t('trustBuyer.bills.dueAfterReceipt')}
        </div>
      </div>
      <Tag color={STATUS_COLOR[bill.status]} fill="outline" data-testid="bill-status">
        {t(`trustBuyer.bills.status.${bill.status}`)}
      </Tag>
    </button>
  );
}

/** Me → pay-later bills: the credit line and each bill with its due date, amount and status. */
export function BillsPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload, setData } = useAsync(async (signal) => {
    const [credit, bills] = await Promise.all([
      creditApi.mine(signal).catch(() => null),
      creditApi.bills(signal),
    ]);
    return { credit, bills };
  }, []);
  // A bill being charged (or due now) moves on its own: refresh until it settles.
  const moving = (data?.bills ?? []).some(
    (b) =>
      b.status === 'charging' ||
      (b.status === 'open' && b.dueAt !== null && Date.parse(b.dueAt) <= Date.now()),
  );
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(async () => {
      try {
        const [credit, bills] = await Promise.all([creditApi.mine().catch(() => null), creditApi.bills()]);
        setData({ credit, bills });
      } catch {
        // keep the last view
      }
    }, 4000);
    return () => clearInterval(timer);
  }, [moving, setData]);
  return (
    <Screen title={t('trustBuyer.bills.title')} testId="bills-page">
      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : data ? (
        <>
          {data.credit && (
            <section className="tb-credit" data-testid="credit-line" data-frozen={data.credit.frozen}>
              <div className="b-muted-light">{t('trustBuyer.bills.available')}</div>
              <div className="tb-credit-amount">{formatFen(data.credit.availableFen)}</div>
              <div className="b-muted-light">
                {t('trustBuyer.bills.limit', { limit: formatFen(data.credit.limitFen) })}
                {data.credit.frozen ? ` · ${t('trustBuyer.bills.frozen')}` : ''}
              </div>
            </section>
          )}
          {data.bills.length === 0 ? (
            <EmptyView text={t('trustBuyer.bills.none')} />
          ) : (
            <div className="tb-bills">
              {data.bills.map((b) => (
                <BillRow key={b.id} bill={b} />
              ))}
            </div>
          )}
        </>
      ) : null}
    </Screen>
  );
}
