import { Button, ProgressBar, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, api, errorMessage, newIdempotencyKey } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { useSession } from '../../shared/session.tsx';
import { timeLeft } from '../countdown.ts';

export interface FlashSaleCardProps {
  sessionId: string;
  /** The latest `flash` message of the room (platform/realtime.ts), if any. */
  lastMessage: unknown;
}

/** A `flash` room message (flashsales' service, publishNow). */
interface FlashMessage {
  type: 'flash';
  saleId: string;
  skuId: string;
  productId: string;
  title?: string;
  priceFen: number;
  listPriceFen?: number;
  units: number;
  remaining: number;
  status: 'scheduled' | 'running' | 'ended';
  startsAt?: string;
  endsAt: string;
}

function asFlash(m: unknown): FlashMessage | null {
  if (!m || typeof m !== 'object') return null;
  const f = m as Partial<FlashMessage>;
  return f.type === 'flash' && typeof f.saleId === 'string' && typeof f.remaining === 'number'
    ? (f as FlashMessage)
    : null;
}

/**
 * The flash sale (秒杀) of a live room: price, countdown, units left, and 抢购: one purchase (an order at
 * the flash price with the buyer's default address), then the normal pay page.
 */
export function FlashSaleCard({ sessionId, lastMessage }: FlashSaleCardProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const sale = asFlash(lastMessage);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<{ saleId: string; code: string } | null>(null);
  // One key per sale and tap series: a retry after a lost answer gets the same order.
  const key = useRef<{ saleId: string; key: string } | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  if (!sale) return null;
  const scheduled = sale.status === 'scheduled' && sale.startsAt && Date.parse(sale.startsAt) > now;
  const left = timeLeft(scheduled ? (sale.startsAt as string) : sale.endsAt, now);
  const ended = sale.status === 'ended' || (!scheduled && left === null);
  const mine = refused?.saleId === sale.saleId ? refused.code : null;
  const soldOut = !ended && (sale.remaining <= 0 || mine === 'sold_out');
  const percent = sale.units > 0 ? Math.round((sale.remaining / sale.units) * 100) : 0;

  const buy = async () => {
    if (!account) {
      navigate(`/login?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`);
      return;
    }
    setBusy(true);
    try {
      const book = await api.get('/addresses');
      const address = book.addresses[0];
      if (!address) {
        Toast.show({ content: t('flashSale.needAddress') });
        navigate(`/product/${sale.productId}?from=live&content=${sessionId}`);
        return;
      }
      if (key.current?.saleId !== sale.saleId)
        key.current = { saleId: sale.saleId, key: newIdempotencyKey() };
      const { name, phone, province, city, district, detail } = address;
      const res = await api.post('/flash-sales/{id}/purchases', {
        params: { path: { id: sale.saleId }, header: { 'idempotency-key': key.current.key } },
        body: { address: { name, phone, province, city, district, detail } },
      });
      key.current = null;
      navigate(`/pay/${res.checkoutId}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setRefused({ saleId: sale.saleId, code: e.code });
        key.current = null;
      }
      Toast.show({ content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flash-sale-card" style={cardStyle} data-testid="flash-sale-card">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Tag color="danger" fill="solid">
          {t('flashSale.badge')}
        </Tag>
        <span style={{ fontSize: 12, color: '#666' }}>
          {ended
            ? t('flashSale.ended')
            : scheduled
              ? t('flashSale.startsIn', { time: left })
              : t('flashSale.endsIn', { time: left })}
        </span>
      </div>
      {sale.title && <div style={{ marginTop: 6, fontWeight: 500 }}>{sale.title}</div>}
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, marginTop: 4 }}>
        <span style={{ color: '#ff3141', fontSize: 22, fontWeight: 600 }}>{formatFen(sale.priceFen)}</span>
        {sale.listPriceFen !== undefined && sale.listPriceFen > sale.priceFen && (
          <span style={{ color: '#999', textDecoration: 'line-through' }}>
            {formatFen(sale.listPriceFen)}
          </span>
        )}
      </div>
      <ProgressBar
        percent={percent}
        style={{ '--fill-color': '#ff3141', marginTop: 6 } as React.CSSProperties}
      />
      <div style={{ fontSize: 12, color: '#666', marginTop: 4 }}>
        {t('flashSale.remaining', { remaining: Math.max(0, sale.remaining), units: sale.units })}
      </div>
      <Button
        block
        color="danger"
        style={{ marginTop: 8 }}
        loading={busy}
        disabled={ended || soldOut || Boolean(scheduled) || mine === 'limit_reached'}
        onClick={buy}
      >
        {ended
          ? t('flashSale.ended')
          : soldOut
            ? t('flashSale.soldOut')
            : mine === 'limit_reached'
              ? t('flashSale.bought')
              : scheduled
                ? t('flashSale.notStarted')
                : t('flashSale.buy')}
      </Button>
    </div>
  );
}

const cardStyle: React.CSSProperties = {
  background: '#fff',
  borderRadius: 8,
  padding: 12,
  boxShadow: '0 2px 8px rgba(0,0,0,0.12)',
};
