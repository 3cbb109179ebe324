import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage, type Order, type OrderLine, type Product } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import {
  type AftersaleRequest,
  apparelCategoryIds,
  FIT_OUTCOMES,
  type FitOutcome,
  sizingApi,
} from '../../shared/sizing-api.ts';

const AFTER_DELIVERY = new Set(['delivered', 'completed']);

/** What the order page needs for its after-delivery size questions: apparel lines and after-sale requests. */
export function useOrderAftercare(order: Order) {
  const delivered = AFTER_DELIVERY.has(order.status);
  return useAsync(
    async (signal) => {
      if (!delivered)
        return {
          apparel: new Set<string>(),
          requests: [] as AftersaleRequest[],
          told: new Map<string, FitOutcome>(),
        };
      const ids = [...new Set(order.lines.map((l) => l.productId))];
      const [cats, products, requests, told] = await Promise.all([
        apparelCategoryIds(),
        Promise.all(
          ids.map((id) =>
            api
              .get('/products/{id}', { params: { path: { id } }, signal })
              .then((r) => r.product)
              .catch(() => null),
          ),
        ),
        sizingApi.aftersaleList(signal).catch(() => [] as AftersaleRequest[]),
        sizingApi.orderFit(order.id, signal).catch(() => []),
      ]);
      const apparel = new Set(
        products.filter((p): p is Product => p !== null && cats.has(p.categoryId)).map((p) => p.id),
      );
      return {
        apparel,
        requests: requests.filter((r) => r.orderId === order.id),
        told: new Map(told.map((f) => [f.skuId, f.fit])),
      };
    },
    [order.id, delivered],
  );
}

/** Under a delivered apparel line: "How did it fit? 偏紧 / 合身 / 偏松" (the fit words of the bars), asked once. */
export function FitFeedback({ order, line, told }: { order: Order; line: OrderLine; told?: FitOutcome }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<FitOutcome | 'answered' | undefined>(told);
  const [busy, setBusy] = useState<FitOutcome>();
  const send = async (fit: FitOutcome) => {
    setBusy(fit);
    try {
      await sizingApi.fitFeedback(order.id, line.skuId, fit);
      setAnswer(fit);
      Toast.show({ icon: 'success', content: t('sizing.fitThanks') });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'feedback_exists') setAnswer('answered');
      else Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };
  if (answer)
    return (
      <div className="sz-fit" data-testid="fit-feedback-answer" data-fit={answer}>
        <span className="sz-fit-answer">
          ✓{' '}
          {answer === 'answered'
            ? t('sizing.fitThanks')
            : t('sizing.fitAnswered', { fit: t(`sizing.fitOutcome.${answer}`) })}
        </span>
      </div>
    );
  return (
    <div className="sz-fit" data-testid="fit-feedback">
      <span>{t('sizing.fitQuestion')}</span>
      {FIT_OUTCOMES.map((f) => (
        <Button
          key={f}
          size="mini"
          color={f === 'fit' ? 'success' : 'default'}
          fill="outline"
          loading={busy === f}
          disabled={busy !== undefined}
          onClick={() => void send(f)}
          data-testid={`fit-feedback-${f}`}
        >
          {t(`sizing.fitOutcome.${f}`)}
        </Button>
      ))}
    </div>
  );
}
