import { Button, Image, Toast } from 'antd-mobile';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { type Address, ApiError, api, errorMessage, newIdempotencyKey } from '../api.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { PHONE_RE, useSession } from '../shared/session.tsx';
import { ADDRESS_FIELDS, type AddressErrors, AddressSection, useCheckoutAddress } from './AddressPicker.tsx';
import { attributionFromQuery } from './attribution.ts';
import { useCart } from './cart-context.tsx';
import { AppliedCoupons } from './trust/Coupons.tsx';
import { PriceBreakdown, TappablePrice } from './trust/PriceSheet.tsx';
import { pricingApi } from './trust/trust-api.ts';
import { EmptyView, ErrorView, Loading, Price, Screen } from './ui.tsx';

interface DraftLine {
  skuId: string;
  title: string;
  image: string;
  spec: string;
  unitFen: number;
  quantity: number;
  storeName: string;
}

export function CheckoutPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { account } = useSession();
  const cartCtx = useCart();
  const skuParam = params.get('sku');
  const qty = Math.max(1, Math.min(99, Number(params.get('qty')) || 1));
  const productId = params.get('product');
  // Buy now from a product page: where the buyer came from (`from`, `imp`, `content`) goes with the
  // line. A checkout of the cart sends none: each cart line keeps the attribution it was added with.
  const attribution = useMemo(() => attributionFromQuery(params), [params]);

  const draft = useAsync<{ lines: DraftLine[]; direct: boolean }>(
    async (signal) => {
      if (skuParam && productId) {
        const { product } = await api.get('/products/{id}', { params: { path: { id: productId } }, signal });
        const sku = product.skus.find((s) => s.id === skuParam);
        if (!sku) throw new ApiError(404, { code: 'not_found', message: 'SKU not found' });
        return {
          direct: true,
          lines: [
            {
              skuId: sku.id,
              title: product.title,
              image: product.images[0] ?? '',
              spec: [sku.size, sku.color].filter(Boolean).join(' / '),
              unitFen: sku.finalPrice?.unitFen ?? sku.priceFen,
              quantity: qty,
              storeName: product.storeName,
            },
          ],
        };
      }
      const cart = await api.get('/cart', { signal });
      return {
        direct: false,
        lines: cart.lines
          .filter((l) => l.onSale && l.stock >= l.quantity)
          .map((l) => ({
            skuId: l.skuId,
            title: l.title,
            image: l.image,
            spec: [l.size, l.color].filter(Boolean).join(' / '),
            unitFen: l.unitFen,
            quantity: l.quantity,
            storeName: l.storeName,
          })),
      };
    },
    [skuParam, productId, qty],
  );

  // RequireBuyer renders this page only for a signed-in buyer.
  const address = useCheckoutAddress(account ?? { id: '', phone: '' });
  const [errors, setErrors] = useState<AddressErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();
  // One key per order attempt: a retry of the same body reuses it, so the server answers with the first result.
  const attempt = useRef<{ key: string; body: string } | null>(null);

  const lines = draft.data?.lines ?? [];
  // What the order will cost, from the server's quote (the same function that prices the order).
  const quoteKey = lines.map((l) => `${l.skuId}:${l.quantity}`).join(',');
  const quote = useAsync(
    (signal) =>
      lines.length
        ? pricingApi.quote(
            lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
            signal,
          )
        : Promise.resolve(null),
    [quoteKey],
  );
  const quoted = quote.data;
  const lineQuote = (skuId: string) => quoted?.lines.find((q) => q.skuId === skuId);

  const validate = (clean: Address) => {
    const errs: AddressErrors = {};
    for (const f of ADDRESS_FIELDS) {
      if (!clean[f]) errs[f] = t('buyer.addr.required', { field: t(`buyer.addr.${f}`) });
    }
    if (!clean.province || !clean.city || !clean.district)
      errs.province = t('buyer.addr.required', { field: t('buyerApp.region') });
    if (clean.phone && !PHONE_RE.test(clean.phone)) errs.phone = t('auth.phoneInvalid');
    setErrors(errs);
    return Object.keys(errs).length === 0;
  };

  const submit = async () => {
    const clean = address.current();
    if (!validate(clean) || lines.length === 0) return;
    const body = {
      ...(draft.data?.direct
        ? {
            lines: lines.map((l) => ({
              skuId: l.skuId,
              quantity: l.quantity,
              ...(attribution ? { attribution } : {}),
            })),
          }
        : {}),
      address: clean,
    };
    const bodyJson = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== bodyJson)
      attempt.current = { key: newIdempotencyKey(), body: bodyJson };
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const res = await api.post('/checkouts', {
        params: { header: { 'idempotency-key': attempt.current.key } },
        body,
      });
      await address.settle();
      void cartCtx.refresh();
      navigate(`/pay/${res.checkout.id}`, { replace: true });
    } catch (e) {
      // A definite refusal (4xx) will not change on retry: the next attempt gets a new key.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) attempt.current = null;
      // Refusals that list SKUs (out of stock, off sale) name them as this page shows them.
      const message = errorMessage(e, {
        skuName: (id) => {
          const line = lines.find((l) => l.skuId === id);
          return line && [line.title, line.spec].filter(Boolean).join(' ');
        },
      });
      setSubmitError(message);
      Toast.show({ icon: 'fail', content: message });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Screen title={t('buyer.checkoutTitle')} testId="checkout-page">
      {draft.loading && !draft.data ? (
        <Loading />
      ) : draft.error ? (
        <ErrorView error={draft.error} onRetry={draft.reload} />
      ) : lines.length === 0 ? (
        <EmptyView text={t('buyer.cartEmpty')}>
          <Button color="primary" size="small" onClick={() => navigate('/')}>
            {t('buyer.goShopping')}
          </Button>
        </EmptyView>
      ) : (
        <>
          <AddressSection address={address} errors={errors} />
          <section className="b-block">
            <div className="b-block-title">{t('buyer.items')}</div>
            {lines.map((l) => (
              <div key={l.skuId} className="b-line b-line-compact" data-testid="checkout-line">
                <Image src={l.image} width={56} height={56} fit="cover" className="b-line-img" />
                <div className="b-line-body">
                  <div className="b-line-store">{l.storeName}</div>
                  <div className="b-line-title">{l.title}</div>
                  <div className="b-muted-sm">{l.spec}</div>
                </div>
                <div className="b-line-right">
                  <Price fen={lineQuote(l.skuId)?.unitFen ?? l.unitFen} size="sm" />
                  <div className="b-muted-sm">×{l.quantity}</div>
                </div>
              </div>
            ))}
          </section>
          {quoted && (
            <section className="b-block" data-testid="checkout-breakdown">
              <div className="b-block-title">{t('trustBuyer.breakdownTitle')}</div>
              <AppliedCoupons coupons={quoted.coupons} savedFen={quoted.listTotalFen - quoted.totalFen} />
              <PriceBreakdown quote={quoted} />
            </section>
          )}
          {quote.error !== undefined && !quoted && (
            <div className="b-error-banner" data-testid="checkout-quote-error">
              {errorMessage(quote.error)}
            </div>
          )}
          {submitError && (
            <div className="b-error-banner" data-testid="checkout-error">
              {submitError}
            </div>
          )}
          <div className="b-actionbar">
            <div className="b-total">
              {t('common.total')}:{' '}
              <TappablePrice
                quote={quoted}
                lines={lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity }))}
              >
                <span className="b-price b-price-lg" data-testid="checkout-total">
                  {formatFen(quoted?.totalFen)}
                </span>
              </TappablePrice>
            </div>
            <Button
              color="primary"
              shape="rounded"
              loading={submitting}
              onClick={submit}
              data-testid="checkout-submit"
            >
              {t('buyer.submitOrder')}
            </Button>
          </div>
        </>
      )}
    </Screen>
  );
}
