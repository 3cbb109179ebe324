import { Button, Image, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  type Address,
  ApiError,
  api,
  type Cart,
  type Checkout,
  errorMessage,
  newIdempotencyKey,
  type Product,
} from '../api.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { PHONE_RE, useSession } from '../shared/session.tsx';
import { useCart } from './cart-context.tsx';
import { EmptyView, ErrorView, Field, Loading, Price, Screen } from './ui.tsx';

interface DraftLine {
  skuId: string;
  title: string;
  image: string;
  spec: string;
  unitFen: number;
  quantity: number;
  storeName: string;
}

const ADDRESS_KEY = 'gravity.address';
const FIELDS: Array<keyof Address> = ['name', 'phone', 'province', 'city', 'district', 'detail'];

function savedAddress(phone?: string): Address {
  try {
    const raw = localStorage.getItem(ADDRESS_KEY);
    if (raw) return { ...JSON.parse(raw) } as Address;
  } catch {
    // ignore
  }
  return { name: '', phone: phone ?? '', province: '', city: '', district: '', detail: '' };
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

  const draft = useAsync<{ lines: DraftLine[]; direct: boolean }>(
    async (signal) => {
      if (skuParam && productId) {
        const { product } = await api.get<{ product: Product }>(`/products/${productId}`, undefined, signal);
        const sku = product.skus.find((s) => s.id === skuParam);
        if (!sku) throw new ApiError(404, 'not_found', 'SKU not found');
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
      const cart = await api.get<Cart>('/cart', undefined, signal);
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

  const [address, setAddress] = useState<Address>(() => savedAddress(account?.phone));
  const [errors, setErrors] = useState<Partial<Record<keyof Address, string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();
  // One key per order attempt: a retry of the same body reuses it, so the server answers with the first result.
  const attempt = useRef<{ key: string; body: string } | null>(null);

  const lines = draft.data?.lines ?? [];
  const totalFen = lines.reduce((n, l) => n + l.unitFen * l.quantity, 0);

  const validate = () => {
    const errs: Partial<Record<keyof Address, string>> = {};
    for (const f of FIELDS) {
      if (!address[f].trim()) errs[f] = t('buyer.addr.required', { field: t(`buyer.addr.${f}`) });
    }
    if (address.phone.trim() && !PHONE_RE.test(address.phone.trim())) errs.phone = t('auth.phoneInvalid');
    setErrors(errs);
    return Object.keys(errs).length === 0;
  };

  const submit = async () => {
    if (!validate() || lines.length === 0) return;
    const clean = Object.fromEntries(FIELDS.map((f) => [f, address[f].trim()])) as unknown as Address;
    const body = {
      ...(draft.data?.direct ? { lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })) } : {}),
      address: clean,
    };
    const bodyJson = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== bodyJson)
      attempt.current = { key: newIdempotencyKey(), body: bodyJson };
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const res = await api.post<{ checkout: Checkout }>('/checkouts', body, {
        'Idempotency-Key': attempt.current.key,
      });
      try {
        localStorage.setItem(ADDRESS_KEY, JSON.stringify(clean));
      } catch {
        // ignore
      }
      void cartCtx.refresh();
      navigate(`/pay/${res.checkout.id}`, { replace: true });
    } catch (e) {
      // A definite refusal (4xx) will not change on retry: the next attempt gets a new key.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) attempt.current = null;
      setSubmitError(errorMessage(e));
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setSubmitting(false);
    }
  };

  const set = (f: keyof Address) => (v: string) => setAddress((a) => ({ ...a, [f]: v }));

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
          <section className="b-block" data-testid="address-form">
            <div className="b-block-title">{t('buyer.address')}</div>
            <div className="b-form-grid">
              <Field
                label={t('buyer.addr.name')}
                value={address.name}
                onChange={set('name')}
                testId="address-name"
                error={errors.name}
                autoComplete="name"
              />
              <Field
                label={t('buyer.addr.phone')}
                value={address.phone}
                onChange={set('phone')}
                testId="address-phone"
                type="tel"
                inputMode="tel"
                maxLength={11}
                error={errors.phone}
                autoComplete="tel"
              />
              <Field
                label={t('buyer.addr.province')}
                value={address.province}
                onChange={set('province')}
                testId="address-province"
                error={errors.province}
              />
              <Field
                label={t('buyer.addr.city')}
                value={address.city}
                onChange={set('city')}
                testId="address-city"
                error={errors.city}
              />
              <Field
                label={t('buyer.addr.district')}
                value={address.district}
                onChange={set('district')}
                testId="address-district"
                error={errors.district}
              />
              <Field
                label={t('buyer.addr.detail')}
                value={address.detail}
                onChange={set('detail')}
                testId="address-detail"
                error={errors.detail}
                autoComplete="street-address"
              />
            </div>
          </section>
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
                  <Price fen={l.unitFen} size="sm" />
                  <div className="b-muted-sm">×{l.quantity}</div>
                </div>
              </div>
            ))}
          </section>
          {submitError && (
            <div className="b-error-banner" data-testid="checkout-error">
              {submitError}
            </div>
          )}
          <div className="b-actionbar">
            <div className="b-total">
              {t('common.total')}:{' '}
              <span className="b-price b-price-lg" data-testid="checkout-total">
                {formatFen(totalFen)}
              </span>
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
