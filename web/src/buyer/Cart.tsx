import { Button, Image, Stepper, SwipeAction, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Cart, errorMessage } from '../api.ts';
import { useAsync } from '../shared/hooks.ts';
import { useCart } from './cart-context.tsx';
import { AppliedCoupons } from './trust/Coupons.tsx';
import { TappablePrice } from './trust/PriceSheet.tsx';
import { pricingApi } from './trust/trust-api.ts';
import { EmptyView, ErrorView, Loading, Price } from './ui.tsx';

export function CartPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cartCtx = useCart();
  const { data, error, loading, reload, setData } = useAsync((signal) => api.get('/cart', { signal }), []);
  const [busySku, setBusySku] = useState<string>();

  const apply = (cart: Cart) => {
    setData(cart);
    cartCtx.setCart(cart);
  };
  const setQty = async (skuId: string, quantity: number) => {
    setBusySku(skuId);
    try {
      apply(await api.put('/cart/items/{skuId}', { params: { path: { skuId } }, body: { quantity } }));
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusySku(undefined);
    }
  };
  const remove = async (skuId: string) => {
    try {
      apply(await api.del('/cart/items/{skuId}', { params: { path: { skuId } } }));
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };

  const cart = data;
  const buyable = cart?.lines.filter((l) => l.onSale && l.stock >= l.quantity) ?? [];
  // The server's quote of what would be bought: the coupons it chose and the breakdown behind the total.
  const quoteKey = buyable.map((l) => `${l.skuId}:${l.quantity}`).join(',');
  const quote = useAsync(
    (signal) =>
      buyable.length
        ? pricingApi.quote(
            buyable.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
            signal,
          )
        : Promise.resolve(null),
    [quoteKey],
  ).data;
  return (
    <div className="b-cart-page" data-testid="cart-page">
      <header className="b-page-head">{t('buyer.cartTitle')}</header>
      {loading && !cart ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : !cart || cart.lines.length === 0 ? (
        <EmptyView text={t('buyer.cartEmpty')}>
          <Button color="primary" size="small" onClick={() => navigate('/')}>
            {t('buyer.goShopping')}
          </Button>
        </EmptyView>
      ) : (
        <>
          <div className="b-cart-lines">
            {cart.lines.map((l) => {
              const ok = l.onSale && l.stock >= l.quantity;
              return (
                <SwipeAction
                  key={l.skuId}
                  rightActions={[
                    {
                      key: 'delete',
                      text: t('common.delete'),
                      color: 'danger',
                      onClick: () => remove(l.skuId),
                    },
                  ]}
                >
                  <div
                    className={`b-line${ok ? '' : ' b-line-off'}`}
                    data-testid="cart-line"
                    data-sku-id={l.skuId}
                  >
                    <Image
                      src={l.image}
                      width={80}
                      height={80}
                      fit="cover"
                      className="b-line-img"
                      onClick={() => navigate(`/product/${l.productId}`)}
                    />
                    <div className="b-line-body">
                      <div className="b-line-store">{l.storeName}</div>
                      <div className="b-line-title">{l.title}</div>
                      <div className="b-muted-sm">{[l.size, l.color].filter(Boolean).join(' / ')}</div>
                      {!ok && (
                        <div className="b-warn">
                          {l.onSale ? t('buyer.outOfStock') : t('buyer.unavailable')}
                        </div>
                      )}
                      <div className="b-line-foot">
                        <Price fen={l.unitFen} />
                        <Stepper
                          min={1}
                          max={Math.max(1, Math.min(99, l.stock))}
                          value={l.quantity}
                          disabled={busySku === l.skuId}
                          onChange={(v) => v && v !== l.quantity && setQty(l.skuId, v)}
                          data-testid="cart-quantity"
                        />
                      </div>
                      <button
                        type="button"
                        className="b-line-remove"
                        onClick={() => remove(l.skuId)}
                        data-testid="cart-remove"
                      >
                        {t('common.delete')}
                      </button>
                    </div>
                  </div>
                </SwipeAction>
              );
            })}
          </div>
          {quote && <AppliedCoupons coupons={quote.coupons} savedFen={quote.listTotalFen - quote.totalFen} />}
          <div className="b-actionbar b-actionbar-tabbed">
            <div className="b-total">
              {t('common.total')}:{' '}
              <TappablePrice
                quote={quote}
                lines={buyable.map((l) => ({ skuId: l.skuId, quantity: l.quantity }))}
              >
                <Price fen={cart.totalFen} size="lg" testId="cart-total" />
              </TappablePrice>
            </div>
            <Button
              color="primary"
              shape="rounded"
              disabled={buyable.length === 0}
              onClick={() => navigate('/checkout')}
              data-testid="cart-checkout"
            >
              {t('buyer.checkout')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
