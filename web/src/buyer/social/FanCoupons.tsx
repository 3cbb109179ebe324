import { Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';
import { useSession } from '../../shared/session.tsx';
import { ClaimCouponButton, useCouponRule } from '../trust/Coupons.tsx';
import { type FanCoupon, fanCouponAction, fanCouponsApi } from './fan-coupons.ts';

const day = (iso: string, lang: string) =>
  new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN');

/**
 * On the store page: its follow-store coupons (new customers get them on following) and fan-only coupons
 * (its fans claim them), as coupon tickets; hidden when there are none. `version` changes after a follow
 * or an unfollow, to read the coupons and the follow again.
 */
export function FanCoupons({ storeId, version }: { storeId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const rule = useCouponRule();
  const { account } = useSession();
  const buyer = account?.role === 'buyer';
  const { data, setData } = useAsync(
    (signal) => fanCouponsApi.load(storeId, buyer, signal).catch(() => null),
    [storeId, buyer, version],
  );
  const [busy, setBusy] = useState<string>();
  if (!data || data.coupons.length === 0) return null;

  const claim = async (c: FanCoupon) => {
    if (!buyer) {
      navigate(`/login?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    setBusy(c.id);
    try {
      await fanCouponsApi.claim(storeId, c.id);
      setData({ ...data, held: { ...data.held, [c.id]: (data.held[c.id] ?? 0) + 1 } });
      Toast.show({ icon: 'success', content: t('trustBuyer.coupon.claimed') });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not_a_fan') setData({ ...data, following: false });
      if (e instanceof ApiError && e.code === 'coupon_limit_reached')
        setData({ ...data, held: { ...data.held, [c.id]: Math.max(1, c.perBuyerLimit) } });
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="b-block b-fan-coupons" data-testid="fan-coupons">
      <div className="b-block-title">{t('social.fanCoupons')}</div>
      {data.coupons.map((c) => {
        const action = fanCouponAction(c, { following: data.following, held: data.held[c.id] ?? 0 });
        return (
          <div
            key={c.id}
            className={`tb-coupon${action === 'soldOut' ? ' tb-coupon-dim' : ''}`}
            data-testid="fan-coupon"
            data-coupon-id={c.id}
            data-kind={c.kind}
            data-action={action}
          >
            <div className="tb-coupon-amount">
              <span className="tb-coupon-yen">{formatFen(c.discountFen)}</span>
              <span className="tb-coupon-rule">
                {rule({ thresholdFen: c.thresholdFen, amountFen: c.discountFen })}
              </span>
            </div>
            <div className="tb-coupon-body">
              <div className="tb-coupon-title">
                <span className={`b-fan-tag b-fan-tag-${c.kind}`}>{t(`social.couponKind.${c.kind}`)}</span>{' '}
                {c.title}
              </div>
              <div className="b-muted-sm">
                {t('trustBuyer.coupon.until', { date: day(c.endsAt, i18n.language) })}
              </div>
            </div>
            <div className="tb-coupon-action">
              {action === 'claim' ? (
                <ClaimCouponButton
                  busy={busy === c.id}
                  onClaim={() => void claim(c)}
                  testId="fan-coupon-claim"
                />
              ) : (
                <span className="tb-coupon-held b-fan-coupon-note" data-testid="fan-coupon-note">
                  {t(`social.couponAction.${action}`)}
                </span>
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
}
