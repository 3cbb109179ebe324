import { Button, Dialog, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Order } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import { protectionApi } from './trust-api.ts';

/** Days, hours and minutes left until `endsAt`; null once it has passed. */
export function windowLeft(endsAt: string, nowMs: number): { d: number; h: number; m: number } | null {
  const ms = Date.parse(endsAt) - nowMs;
  if (!(ms > 0)) return null;
  const minutes = Math.ceil(ms / 60_000);
  return { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60), m: minutes % 60 };
}

function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * On a paid order: how long its 7-day price protection still runs, what it has paid back
 * (automatically, on each drop), and a button to have the price checked now.
 */
export function PriceProtectionBlock({ order, onPaid }: { order: Order; onPaid?: () => void }) {
  const { t, i18n } = useTranslation();
  const { data, reload } = useAsync(
    (signal) => (order.paidAt ? protectionApi.forOrder(order.id, signal) : Promise.resolve(null)),
    [order.id, order.paidAt],
  );
  const now = useNow(30_000);
  const [checking, setChecking] = useState(false);
  if (!data || (!data.windowEndsAt && data.payouts.length === 0)) return null;
  const left = data.active && data.windowEndsAt ? windowLeft(data.windowEndsAt, now) : null;
  const skuTitle = (skuId: string) => {
    const l = order.lines.find((x) => x.skuId === skuId);
    return l ? [l.title, l.size, l.color].filter(Boolean).join(' ') : '';
  };

  const check = async () => {
    setChecking(true);
    try {
      const res = await protectionApi.check(order.id);
      const rows = res.lines.map((l) => ({
        skuId: l.skuId,
        text: t('trustBuyer.protection.checkLine', {
          title: skuTitle(l.skuId) || l.title,
          paid: formatFen(l.paidFen),
          now: formatFen(l.nowFen),
        }),
      }));
      await Dialog.alert({
        title:
          res.paidNowFen > 0
            ? t('trustBuyer.protection.checkRefunded', { amount: formatFen(res.paidNowFen) })
            : t('trustBuyer.protection.checkSame'),
        content: (
          <div data-testid="protection-check-result" data-refunded={res.paidNowFen}>
            {rows.map((r) => (
              <div key={r.skuId}>{r.text}</div>
            ))}
          </div>
        ),
        confirmText: t('common.confirm'),
      });
      if (res.paidNowFen > 0) {
        reload();
        onPaid?.();
      }
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="b-block tb-protection" data-testid="price-protection">
      <div className="tb-protection-head">
        <span className="b-block-title tb-protection-title">
          <span className="tb-shield" aria-hidden>
            ✓
          </span>
          {t('trustBuyer.protection.title')}
        </span>
        {left ? (
          <span
            className="tb-protection-left"
            data-testid="protection-countdown"
            data-ends-at={data.windowEndsAt}
          >
            {left.d > 0
              ? t('trustBuyer.protection.leftDays', { d: left.d, h: left.h })
              : t('trustBuyer.protection.leftHours', { h: left.h, m: left.m })}
          </span>
        ) : (
          <span className="b-muted-sm" data-testid="protection-ended">
            {t('trustBuyer.protection.ended')}
          </span>
        )}
      </div>
      <div className="b-muted-sm">
        {data.windowEndsAt &&
          t('trustBuyer.protection.until', { time: formatTime(data.windowEndsAt, i18n.language) })}
      </div>
      {data.payouts.length > 0 && (
        <div className="tb-payouts" data-testid="protection-payouts" data-total={data.totalFen}>
          {data.payouts.map((p) => (
            <div
              key={`${p.source}:${p.changeId}:${p.skuId}`}
              className="tb-payout"
              data-testid="protection-payout"
            >
              <span>
                {t('trustBuyer.protection.payout')}
                <span className="b-muted-sm"> · {formatTime(p.createdAt, i18n.language)}</span>
                <span className={`tb-funder tb-funder-${p.funder}`}>
                  {t(`trustBuyer.protection.cause.${p.funder === 'platform' ? 'subsidy' : 'merchant_price'}`)}
                </span>
              </span>
              <b className="tb-payout-amount">+{formatFen(p.amountFen)}</b>
            </div>
          ))}
          <div className="tb-payout tb-payout-total">
            <span>{t('trustBuyer.protection.total')}</span>
            <b data-testid="protection-total">{formatFen(data.totalFen)}</b>
          </div>
        </div>
      )}
      {left && (
        <Button
          size="small"
          fill="outline"
          shape="rounded"
          loading={checking}
          onClick={() => void check()}
          data-testid="protection-check"
          className="tb-protection-check"
        >
          {t('trustBuyer.protection.check')}
        </Button>
      )}
    </section>
  );
}
