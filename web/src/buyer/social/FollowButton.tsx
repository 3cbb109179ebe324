import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import { useSession } from '../../shared/session.tsx';
import { grantedAmounts } from './fan-coupons.ts';

type Source = 'live' | 'video' | 'store' | 'coupon' | 'product' | 'other';

/**
 * Follow / 已关注 for a store, with its fan count; a visitor is sent to sign in first. A follow that grants
 * the store's new-customer coupons says so; `onChange` hears every follow and unfollow.
 */
export function FollowButton({
  storeId,
  source,
  compact,
  onChange,
}: {
  storeId: string;
  source: Source;
  compact?: boolean;
  onChange?: (state: { following: boolean; fans: number }) => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const [busy, setBusy] = useState(false);
  const state = useAsync(
    (signal) => api.get('/stores/{id}/follow', { params: { path: { id: storeId } }, signal }),
    [storeId, account?.id],
  );
  const [override, setOverride] = useState<{ following: boolean; fans: number }>();
  const current = override ?? state.data;
  if (account && account.role !== 'buyer') return null;
  const toggle = async () => {
    if (!account) {
      navigate(`/login?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    setBusy(true);
    try {
      const params = { path: { id: storeId } };
      if (current?.following) {
        const next = await api.del('/stores/{id}/follow', { params });
        setOverride({ following: next.following, fans: next.fans });
        onChange?.(next);
      } else {
        const next = await api.put('/stores/{id}/follow', { params, body: { source } });
        setOverride({ following: next.following, fans: next.fans });
        if (next.couponsGranted.length > 0) {
          const amount = grantedAmounts(next.couponsGranted, i18n.language === 'en' ? ', ' : '、');
          Toast.show({ icon: 'success', content: t('social.couponGranted', { amount }) });
        }
        onChange?.(next);
      }
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const following = current?.following ?? false;
  return (
    <span className="b-follow">
      <Button
        size={compact ? 'mini' : 'small'}
        color={following ? 'default' : 'primary'}
        fill={following ? 'outline' : 'solid'}
        shape="rounded"
        loading={busy}
        disabled={state.loading && !current}
        onClick={toggle}
        data-testid="follow-button"
        data-following={following ? 'true' : 'false'}
      >
        {following ? t('social.following') : t('social.follow')}
      </Button>
      {!compact && current && (
        <span className="b-muted-sm" data-testid="fan-count">
          {' '}
          {t('social.fans', { n: current.fans })}
        </span>
      )}
    </span>
  );
}
