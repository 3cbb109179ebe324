import { Button, Popup, Stepper, Steps, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type Order, type OrderLine } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { CARRIERS, type Carrier, carrierName } from '../../shared/carriers.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import {
  AFTERSALE_KINDS,
  AFTERSALE_REASONS,
  type AftersaleCase,
  type AftersaleKind,
  type AftersaleReason,
  aftersaleApi,
} from './trust-api.ts';

/** Statuses that still wait for someone. */
const OPEN = new Set(['requested', 'review', 'approved', 'returning']);
/** Kinds whose parcel comes back to the merchant. */
const RETURNS = new Set<AftersaleKind>(['return_refund', 'exchange']);

/** The after-sale requests of an order, by SKU (the newest first). */
export function useOrderAftersale(order: Order, enabled: boolean) {
  return useAsync(
    async (signal) => {
      if (!enabled) return [] as AftersaleCase[];
      const all = await aftersaleApi.list(signal).catch(() => [] as AftersaleCase[]);
      return all.filter((r) => r.orderId === order.id);
    },
    [order.id, enabled],
  );
}

/** Under a delivered order line: the request (status, tap for the timeline) or the button to start one. */
export function LineAftersale({
  order,
  line,
  requests,
  onChange,
}: {
  order: Order;
  line: OrderLine;
  requests: AftersaleCase[];
  onChange: (r: AftersaleCase) => void;
}) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string>();
  const mine = requests.filter((r) => r.skuId === line.skuId);
  const open = mine.find((r) => OPEN.has(r.status));
  const latest = open ?? mine[0];
  // Every unit refunded: nothing is left to ask for.
  const refundedQuantity = line.refundedQuantity;
  const allBack =
    refundedQuantity >= line.quantity ||
    mine.some((r) => r.status === 'refunded' && r.quantity >= line.quantity);
  const viewed = mine.find((r) => r.id === viewing);
  return (
    <div className="tb-as-line">
      {latest && (
        <button
          type="button"
          className="tb-as-status"
          onClick={() => setViewing(latest.id)}
          data-testid="aftersale-status"
          data-status={latest.status}
          data-kind={latest.kind}
        >
          <span>
            {t(`trustBuyer.aftersale.kind.${latest.kind}`)} ·{' '}
            {t(`trustBuyer.aftersale.status.${latest.status}`)}
          </span>
          <span className="b-link">{t('trustBuyer.aftersale.progress')} ›</span>
        </button>
      )}
      {!open && !allBack && (
        <Button
          size="mini"
          fill="outline"
          shape="rounded"
          onClick={() => setCreating(true)}
          data-testid="aftersale-open"
        >
          {t('trustBuyer.aftersale.apply')}
        </Button>
      )}
      <Popup
        visible={creating}
        onMaskClick={() => setCreating(false)}
        bodyClassName="tb-sheet tb-sheet-tall"
        destroyOnClose
      >
        <AftersaleForm
          order={order}
          line={line}
          onDone={(r) => {
            setCreating(false);
            onChange(r);
            setViewing(r.id);
          }}
        />
      </Popup>
      <Popup
        visible={viewed !== undefined}
        onMaskClick={() => setViewing(undefined)}
        bodyClassName="tb-sheet tb-sheet-tall"
        destroyOnClose
      >
        {viewed && (
          <AftersaleDetail
            request={viewed}
            line={line}
            onChange={onChange}
            onClose={() => setViewing(undefined)}
          />
        )}
      </Popup>
    </div>
  );
}

function AftersaleForm({
  order,
  line,
  onDone,
}: {
  order: Order;
  line: OrderLine;
  onDone: (r: AftersaleCase) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AftersaleKind>();
  const [reason, setReason] = useState<AftersaleReason>();
  const left = Math.max(1, line.quantity - line.refundedQuantity);
  const [quantity, setQuantity] = useState(left);
  const [note, setNote] = useState('');
  const [exchangeSkuId, setExchangeSkuId] = useState<string>();
  const [busy, setBusy] = useState(false);
  // For an exchange: the product's other sizes in the same colour.
  const sizes = useAsync(
    async (signal) => {
      if (kind !== 'exchange') return [];
      const { product } = await api.get('/products/{id}', {
        params: { path: { id: line.productId } },
        signal,
      });
      return product.skus.filter((s) => s.id !== line.skuId && (!line.color || s.color === line.color));
    },
    [kind, line.productId],
  );
  const ready = kind && reason && (kind !== 'exchange' || exchangeSkuId);
  const submit = async () => {
    if (!kind || !reason) return;
    const body = {
      orderId: order.id,
      skuId: line.skuId,
      kind,
      reason,
      quantity,
      note: note.trim() || undefined,
      exchangeSkuId: kind === 'exchange' ? exchangeSkuId : undefined,
    };
    setBusy(true);
    try {
      const r = await aftersaleApi.create(body);
      Toast.show({ icon: 'success', content: t('trustBuyer.aftersale.sent') });
      onDone(r);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="aftersale-form">
      <div className="tb-sheet-head">
        <span className="tb-sheet-title">{t('trustBuyer.aftersale.title', { title: line.title })}</span>
      </div>
      <div className="tb-q">{t('trustBuyer.aftersale.chooseKind')}</div>
      <div className="tb-kinds">
        {AFTERSALE_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={`tb-kind${kind === k ? ' on' : ''}`}
            aria-pressed={kind === k}
            onClick={() => setKind(k)}
            data-testid={`aftersale-kind-${k}`}
          >
            <span className="tb-kind-name">{t(`trustBuyer.aftersale.kind.${k}`)}</span>
            <span className="b-muted-sm">{t(`trustBuyer.aftersale.kindHelp.${k}`)}</span>
          </button>
        ))}
      </div>
      {kind === 'exchange' && (
        <>
          <div className="tb-q">{t('trustBuyer.aftersale.newSize')}</div>
          <div className="b-opts tb-pad-x">
            {(sizes.data ?? []).map((s) => (
              <button
                key={s.id}
                type="button"
                className={`b-opt${exchangeSkuId === s.id ? ' b-opt-on' : ''}${s.stock <= 0 ? ' b-opt-off' : ''}`}
                disabled={s.stock <= 0}
                onClick={() => setExchangeSkuId(s.id)}
                data-testid="aftersale-exchange-size"
                data-value={s.size}
              >
                {[s.size, s.color].filter(Boolean).join(' / ')}
              </button>
            ))}
          </div>
        </>
      )}
      <div className="tb-q">{t('trustBuyer.aftersale.reason')}</div>
      <div className="sz-reason-list tb-pad-x">
        {AFTERSALE_REASONS.map((r) => (
          <button
            key={r}
            type="button"
            aria-pressed={reason === r}
            className={reason === r ? 'on' : ''}
            onClick={() => setReason(r)}
            data-testid={`aftersale-reason-${r}`}
          >
            {t(`trustBuyer.aftersale.reasons.${r}`)}
          </button>
        ))}
      </div>
      {reason?.startsWith('size_') && <p className="b-muted-sm tb-pad-x">{t('sizing.sizeReasonHint')}</p>}
      {line.quantity > 1 && (
        <div className="b-opt-row tb-pad-x">
          <span className="b-opt-label">{t('buyer.quantity')}</span>
          <Stepper
            min={1}
            max={left}
            value={quantity}
            onChange={(v) => setQuantity(v || 1)}
            data-testid="aftersale-quantity"
          />
        </div>
      )}
      <div className="tb-q">{t('trustBuyer.aftersale.note')}</div>
      <textarea
        className="sz-textarea tb-textarea"
        value={note}
        maxLength={500}
        placeholder={t('trustBuyer.aftersale.notePlaceholder')}
        onChange={(e) => setNote(e.target.value)}
        data-testid="aftersale-note"
      />
      <div className="tb-sheet-foot">
        <Button
          block
          color="primary"
          shape="rounded"
          disabled={!ready}
          loading={busy}
          onClick={() => void submit()}
          data-testid="aftersale-submit"
        >
          {t('trustBuyer.aftersale.submit')}
        </Button>
      </div>
    </div>
  );
}

/** The words for who or which rule decided a step. */
function useDecider() {
  const { t, i18n } = useTranslation();
  return (rule: string | null, by: string | null) => {
    if (rule)
      return i18n.exists(`trustBuyer.aftersale.rule.${rule}`)
        ? t(`trustBuyer.aftersale.rule.${rule}`)
        : t('trustBuyer.aftersale.rule.other', { rule });
    const who = by?.split(':')[0];
    return who && i18n.exists(`trustBuyer.aftersale.actor.${who}`)
      ? t(`trustBuyer.aftersale.actor.${who}`)
      : '';
  };
}

function AftersaleDetail({
  request,
  line,
  onChange,
  onClose,
}: {
  request: AftersaleCase;
  line: OrderLine;
  onChange: (r: AftersaleCase) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const decider = useDecider();
  const fresh = useAsync((signal) => aftersaleApi.get(request.id, signal).catch(() => request), [request.id]);
  const r = fresh.data ?? request;
  const events = r.events.length
    ? r.events
    : [
        {
          at: r.createdAt,
          toStatus: 'requested' as const,
          fromStatus: null,
          action: 'create',
          rule: null,
          actor: '',
          note: '',
        },
      ];
  const [carrier, setCarrier] = useState<Carrier>(CARRIERS[0] as Carrier);
  const [trackingNo, setTrackingNo] = useState('');
  const [busy, setBusy] = useState(false);
  const needsParcel = RETURNS.has(r.kind) && r.status === 'approved' && !r.returnParcel;
  const sendParcel = async () => {
    setBusy(true);
    try {
      const updated = await aftersaleApi.returnShipment(r.id, { carrier, trackingNo: trackingNo.trim() });
      fresh.setData(updated);
      onChange(updated);
      Toast.show({ icon: 'success', content: t('trustBuyer.aftersale.parcelSent') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="aftersale-detail" data-status={r.status} data-kind={r.kind}>
      <div className="tb-sheet-head">
        <span className="tb-sheet-title">
          {t(`trustBuyer.aftersale.kind.${r.kind}`)} · {line.title}
        </span>
        <button
          type="button"
          className="tb-sheet-close"
          onClick={onClose}
          data-testid="aftersale-detail-close"
        >
          ×
        </button>
      </div>
      <div className={`tb-as-hero tb-as-hero-${r.status}`}>
        <div className="tb-as-hero-status" data-testid="aftersale-detail-status">
          {t(`trustBuyer.aftersale.status.${r.status}`)}
        </div>
        <div className="b-muted-sm">
          {t(`trustBuyer.aftersale.reasons.${r.reason}`, { defaultValue: r.reason })} · ×{r.quantity} ·{' '}
          {formatFen(r.amountFen)}
        </div>
        {(r.decidedByRule || r.decidedBy) && (
          <div className="tb-as-rule" data-testid="aftersale-rule" data-rule={r.decidedByRule ?? ''}>
            {t('trustBuyer.aftersale.decidedBy', { who: decider(r.decidedByRule, r.decidedBy) })}
          </div>
        )}
        {r.decisionNote && <div className="b-muted-sm">{r.decisionNote}</div>}
        {r.refundedFen > 0 && (
          <div className="tb-as-refunded" data-testid="aftersale-refunded">
            {t('trustBuyer.aftersale.refunded', { amount: formatFen(r.refundedFen) })}
          </div>
        )}
        {r.shippingSubsidyFen > 0 && (
          <div className="b-muted-sm" data-testid="aftersale-shipping-subsidy">
            {t('trustBuyer.aftersale.shippingSubsidy', { amount: formatFen(r.shippingSubsidyFen) })}
          </div>
        )}
        {r.dueAt && OPEN.has(r.status) && (
          <div className="b-muted-sm">
            {t(`trustBuyer.aftersale.due.${r.status === 'approved' ? 'buyer' : 'other'}`, {
              time: formatTime(r.dueAt, i18n.language),
            })}
          </div>
        )}
      </div>
      <Steps direction="vertical" current={events.length - 1} data-testid="aftersale-timeline">
        {events.map((e) => (
          <Steps.Step
            key={`${e.at}-${e.action}-${e.toStatus}`}
            status={e.toStatus === 'rejected' ? 'error' : 'finish'}
            title={t(`trustBuyer.aftersale.status.${e.toStatus}`)}
            description={
              <span>
                {formatTime(e.at, i18n.language)}
                {decider(e.rule, e.actor) ? ` · ${decider(e.rule, e.actor)}` : ''}
                {e.note ? ` · ${e.note}` : ''}
              </span>
            }
          />
        ))}
      </Steps>
      {r.returnParcel && (
        <div className="b-kv tb-pad-x" data-testid="aftersale-return-tracking">
          {t('trustBuyer.aftersale.returnParcel')}: {carrierName(t, r.returnParcel.carrier)}{' '}
          {r.returnParcel.trackingNo}
        </div>
      )}
      {needsParcel && (
        <div className="tb-parcel" data-testid="aftersale-parcel-form">
          <div className="tb-q">{t('trustBuyer.aftersale.sendBack')}</div>
          <div className="b-opts tb-pad-x">
            {CARRIERS.map((c) => (
              <button
                key={c}
                type="button"
                className={`b-opt${carrier === c ? ' b-opt-on' : ''}`}
                onClick={() => setCarrier(c)}
                data-testid="aftersale-carrier"
                data-value={c}
              >
                {carrierName(t, c)}
              </button>
            ))}
          </div>
          <input
            className="b-field-input tb-tracking"
            value={trackingNo}
            maxLength={40}
            placeholder={t('trustBuyer.aftersale.trackingPlaceholder')}
            onChange={(e) => setTrackingNo(e.target.value)}
            data-testid="aftersale-tracking"
          />
          <Button
            block
            color="primary"
            shape="rounded"
            disabled={trackingNo.trim().length < 4}
            loading={busy}
            onClick={() => void sendParcel()}
            data-testid="aftersale-tracking-submit"
          >
            {t('trustBuyer.aftersale.submitTracking')}
          </Button>
        </div>
      )}
    </div>
  );
}
