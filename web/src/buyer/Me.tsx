import { Badge, Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api.ts';
import { toggleLang } from '../i18n/index.ts';
import { useAsync } from '../shared/hooks.ts';
import { useSession } from '../shared/session.tsx';
import { useCart } from './cart-context.tsx';
import { TAB_FILTER } from './Orders.tsx';

/** The order shortcuts, each with its icon (24×24 stroke paths). */
const SHORTCUTS = [
  // a wallet
  ['pending_payment', 'M3 7h15a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zM3 7l12-3v3M16 13.5h1.5'],
  // a parcel
  ['paid', 'M3 7.5L12 3l9 4.5v9L12 21l-9-4.5zM3 7.5l9 4.5 9-4.5M12 12v9'],
  // a van
  [
    'shipped',
    'M2 6h12v10H2zM14 10h4l3 3v3h-7M6.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM17.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z',
  ],
  // a tick in a circle
  ['completed', 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 12.5l2.5 2.5L16 9.5'],
  // a crossed circle
  ['cancelled', 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9l6 6M15 9l-6 6'],
] as const;

/** How many of the buyer's orders are in each shortcut's status. */
function useOrderCounts(enabled: boolean) {
  return useAsync(
    async (signal) => {
      if (!enabled) return {};
      const totals = await Promise.all(
        SHORTCUTS.map(([status]) =>
          api
            .get('/orders', {
              params: { query: { status: TAB_FILTER[status], page: 1, pageSize: 1 } },
              signal,
            })
            .then((p) => p.total),
        ),
      );
      return Object.fromEntries(SHORTCUTS.map(([status], i) => [status, totals[i] ?? 0])) as Record<
        string,
        number
      >;
    },
    [enabled],
  );
}

export function MePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account, signOut } = useSession();
  const cart = useCart();
  const isBuyer = account?.role === 'buyer';
  const counts = useOrderCounts(isBuyer).data;
  return (
    <div className="b-me" data-testid="me-page">
      <header className="b-me-head">
        <div className="b-avatar">{account ? account.nickname.slice(0, 1) : '?'}</div>
        {account ? (
          <div>
            <div className="b-me-name" data-testid="me-nickname">
              {account.nickname}
            </div>
            <div className="b-muted-light">
              {account.phone} · {t(`roles.${account.role}`)}
            </div>
          </div>
        ) : (
          <div>
            <div className="b-me-name">{t('buyer.guest')}</div>
            <div className="b-muted-light">{t('buyer.signInPrompt')}</div>
          </div>
        )}
      </header>
      {!isBuyer && (
        <div className="b-pad">
          <Button
            block
            color="primary"
            shape="rounded"
            onClick={() => navigate('/login?next=/me')}
            data-testid="me-sign-in"
          >
            {t('common.signIn')}
          </Button>
        </div>
      )}
      {isBuyer && (
        <section className="b-block">
          <button
            type="button"
            className="b-block-title b-link-plain"
            onClick={() => navigate('/orders')}
            data-testid="me-orders"
          >
            {t('buyer.myOrders')} ›
          </button>
          <div className="b-me-shortcuts" data-testid="me-shortcuts">
            {SHORTCUTS.map(([status, icon]) => (
              <button
                key={status}
                type="button"
                className="b-me-shortcut"
                onClick={() => navigate(`/orders?status=${status}`)}
                data-testid={`me-shortcut-${status}`}
                data-count={counts?.[status] ?? ''}
              >
                <Badge content={counts?.[status] ? String(counts[status]) : null}>
                  <svg
                    className="b-me-shortcut-icon"
                    width="26"
                    height="26"
                    viewBox="0 0 24 24"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="1.6"
                    aria-hidden
                  >
                    <path d={icon} strokeLinejoin="round" strokeLinecap="round" />
                  </svg>
                </Badge>
                <span className="b-me-shortcut-label">{t(`buyerApp.status.${status}`)}</span>
              </button>
            ))}
          </div>
        </section>
      )}
      <List className="b-me-list">
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/notices')} data-testid="me-notices">
            {t('live.notices')}
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/live')} data-testid="me-live">
          {t('live.listTitle')}
        </List.Item>
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/follows')} data-testid="me-follows">
            {t('social.myFollows')}
          </List.Item>
        )}
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/sizes')} data-testid="me-sizes">
            {t('sizing.mySizes')}
          </List.Item>
        )}
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/reviews')} data-testid="me-reviews">
            {t('reviewsBuyer.myReviews')}
          </List.Item>
        )}
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/coupons')} data-testid="me-coupons">
            {t('trustBuyer.coupon.mine')}
          </List.Item>
        )}
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/bills')} data-testid="me-bills">
            {t('trustBuyer.bills.entry')}
          </List.Item>
        )}
        <List.Item onClick={toggleLang} extra={t('common.switchLang')} data-testid="lang-switch">
          {t('common.language')}
        </List.Item>
      </List>
      {/* A buyer app does not advertise the consoles; a seller-to-be may still find the way to open a store. */}
      <List className="b-me-list">
        <List.Item onClick={() => navigate('/merchant')} data-testid="me-open-store">
          <span className="b-muted-sm">{t('buyerApp.openStore')}</span>
        </List.Item>
      </List>
      {account && (
        <div className="b-pad">
          <Button
            block
            shape="rounded"
            onClick={async () => {
              await signOut();
              await cart.refresh();
            }}
            data-testid="sign-out"
          >
            {t('common.signOut')}
          </Button>
        </div>
      )}
    </div>
  );
}
