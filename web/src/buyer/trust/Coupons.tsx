import { Button, Tabs, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';
import { useSession } from '../../shared/session.tsx';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';
import { type CouponView, pricingApi, type QuoteCoupon } from './trust-api.ts';

const day = (iso: string | null, lang: string) =>
  iso ? new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN') : '';

/** 满99减10 / ¥10 off: the coupon's rule in the reader's words. */
export function useCouponRule() {
  const { t } = useTranslation();
  return (c: { thresholdFen: number; amountFen: number }) =>
    c.thresholdFen > 0
      ? t('trustBuyer.coupon.threshold', { min: formatFen(c.thresholdFen), off: formatFen(c.amountFen) })
      : t('trustBuyer.coupon.fixed', { off: formatFen(c.amountFen) });
}

/** The 领取 / Claim button of a coupon ticket. */
export function ClaimCouponButton({
  busy,
  onClaim,
  testId,
}: {
  busy: boolean;
  onClaim: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Button size="mini" color="primary" shape="rounded" loading={busy} onClick={onClaim} data-testid={testId}>
      {t('trustBuyer.coupon.claim')}
    </Button>
  );
}

function CouponTicket({ c, action }: { c: CouponView; action?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const rule = useCouponRule();
  const dim = c.status === 'used' || c.status === 'expired';
  return (
    <div
      className={`tb-coupon${dim ? ' tb-coupon-dim' : ''}`}
      data-testid="coupon"
      data-coupon-id={c.id}
      data-status={c.status}
    >
      <div className="tb-coupon-amount">
        <span className="tb-coupon-yen">{formatFen(c.amountFen)}</span>
        <span className="tb-coupon-rule">{rule(c)}</span>
      </div>
      <div className="tb-coupon-body">
        <div className="tb-coupon-title">
          <span className={`tb-funder tb-funder-${c.funder}`}>
            {c.storeId ? t('trustBuyer.coupon.store') : t('trustBuyer.coupon.platform')}
          </span>{' '}
          {c.title}
        </div>
        {c.endsAt && (
          <div className="b-muted-sm">
            {t('trustBuyer.coupon.until', { date: day(c.endsAt, i18n.language) })}
          </div>
        )}
        {dim && <div className="b-muted-sm">{t(`trustBuyer.coupon.status.${c.status}`)}</div>}
      </div>
      {action && <div className="tb-coupon-action">{action}</div>}
    </div>
  );
}

/** On the product page: coupons the buyer can claim, with a claim button; held ones say so. */
export function ProductCoupons({
  productId,
  storeId,
  onClaimed,
}: {
  productId: string;
  storeId: string;
  onClaimed?: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const buyer = account?.role === 'buyer';
  const { data, setData } = useAsync(
    (signal) => pricingApi.productCoupons(storeId, buyer, signal).catch(() => []),
    [storeId, buyer],
  );
  const [busy, setBusy] = useState<string>();
  if (!data || data.length === 0) return null;
  const claim = async (c: CouponView) => {
    if (account?.role !== 'buyer') {
      navigate(`/login?next=${encodeURIComponent(`/product/${productId}`)}`);
      return;
    }
    setBusy(c.id);
    try {
      await pricingApi.claim(c.id);
      setData(data.map((x) => (x.id === c.id ? { ...x, claimed: true } : x)));
      Toast.show({ icon: 'success', content: t('trustBuyer.coupon.claimed') });
      onClaimed?.();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="b-block" data-testid="product-coupons">
      <div className="b-block-title">{t('trustBuyer.coupon.title')}</div>
      {data.map((c) => (
        <CouponTicket
          key={c.id}
          c={c}
          action={
            c.claimed ? (
              <span className="tb-coupon-held" data-testid="coupon-held">
                {t('trustBuyer.coupon.held')}
              </span>
            ) : (
              <ClaimCouponButton busy={busy === c.id} onClaim={() => void claim(c)} testId="coupon-claim" />
            )
          }
        />
      ))}
    </section>
  );
}

/** In the cart and at checkout: the coupons the server chose for this buyer (no puzzle to solve). */
export function AppliedCoupons({ coupons, savedFen }: { coupons: QuoteCoupon[]; savedFen: number }) {
  const { t } = useTranslation();
  const rule = useCouponRule();
  if (coupons.length === 0 && savedFen <= 0) return null;
  return (
    <div className="tb-applied" data-testid="applied-coupons">
      <span className="tb-applied-label">{t('trustBuyer.coupon.applied')}</span>
      <span className="tb-applied-list">
        {coupons.map((c) => (
          <span key={c.id} className="tb-applied-chip" data-testid="applied-coupon">
            {c.title || rule({ thresholdFen: c.thresholdFen, amountFen: c.discountFen })}
          </span>
        ))}
      </span>
      {savedFen > 0 && (
        <span className="tb-applied-saved" data-testid="applied-saved">
          {t('trustBuyer.saved', { amount: formatFen(savedFen) })}
        </span>
      )}
    </div>
  );
}

const COUPON_TABS = ['available', 'used', 'expired'] as const;

/** Me → my coupons: held, used and expired. */
export function MyCouponsPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useAsync((signal) => pricingApi.myCoupons(signal), []);
  const [tab, setTab] = useState<(typeof COUPON_TABS)[number]>('available');
  const shown = (data ?? []).filter((c) =>
    tab === 'available' ? c.status !== 'used' && c.status !== 'expired' : c.status === tab,
  );
  return (
    <Screen title={t('trustBuyer.coupon.mine')} testId="my-coupons-page">
      <Tabs activeKey={tab} onChange={(k) => setTab(k as typeof tab)}>
        {COUPON_TABS.map((k) => (
          <Tabs.Tab key={k} title={t(`trustBuyer.coupon.tab.${k}`)} />
        ))}
      </Tabs>
      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : shown.length === 0 ? (
        <EmptyView text={t('trustBuyer.coupon.none')} />
      ) : (
        <div className="b-pad">
          {shown.map((c) => (
            <CouponTicket key={c.id} c={c} />
          ))}
        </div>
      )}
    </Screen>
  );
}
