import { Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { toggleLang } from '../i18n/index.ts';
import { useSession } from '../shared/session.tsx';
import { useCart } from './cart-context.tsx';
import { BUYER_TABS } from './Orders.tsx';

export function MePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account, signOut } = useSession();
  const cart = useCart();
  const isBuyer = account?.role === 'buyer';
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
          <div className="b-me-shortcuts">
            {BUYER_TABS.filter((s) => s !== 'all').map((s) => (
              <button
                key={s}
                type="button"
                className="b-me-shortcut"
                onClick={() => navigate(`/orders?status=${s}`)}
              >
                <span className={`b-me-dot b-status-${s}`} />
                {t(`status.${s}`)}
              </button>
            ))}
          </div>
        </section>
      )}
      <List className="b-me-list">
        {isBuyer && (
          <List.Item onClick={() => navigate('/me/sizes')} data-testid="me-sizes">
            {t('sizing.mySizes')}
          </List.Item>
        )}
        <List.Item onClick={toggleLang} extra={t('common.switchLang')} data-testid="lang-switch">
          {t('common.language')}
        </List.Item>
        <List.Item onClick={() => navigate('/merchant')}>{t('buyer.merchantConsole')}</List.Item>
        <List.Item onClick={() => navigate('/ops')}>{t('buyer.opsConsole')}</List.Item>
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
