import { Button, Input, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import { useSession } from '../../shared/session.tsx';
import { pricingApi } from '../trust/trust-api.ts';
import { ErrorView, Loading, Screen } from '../ui.tsx';
import { FlashSaleCard } from './FlashSaleCard.tsx';
import { LivePlayer } from './LivePlayer.tsx';
import {
  type LiveComment,
  type LiveSale,
  type LiveSessionView,
  liveApi,
  type RoomCoupon,
  type RoomMessage,
  roomPath,
  useSocket,
} from './live-api.ts';
import './live.css';
import { FollowButton } from '../social/FollowButton.tsx';

/** The buyer URL of a product bought from the room (attribution: channel live, content the session). */
export const liveProductPath = (productId: string, sessionId: string) =>
  `/product/${productId}?from=live&content=${sessionId}`;

/** `/live/:id`: the live room. */
export function LiveRoomPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const state = useAsync((signal) => liveApi.get(id, signal), [id]);
  return (
    <Screen title={state.data?.title ?? t('live.listTitle')} testId="live-room">
      {state.loading && !state.data ? (
        <Loading />
      ) : state.error || !state.data ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : (
        <>
          <div className="lv-follow">
            <FollowButton storeId={state.data.storeId} source="live" compact />
          </div>
          <Room session={state.data} />
        </>
      )}
    </Screen>
  );
}

function Room({ session }: { session: LiveSessionView }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const [status, setStatus] = useState(session.status);
  const [pinned, setPinned] = useState(session.pinnedProductId);
  const [viewers, setViewers] = useState(session.viewers);
  const [comments, setComments] = useState<LiveComment[]>(session.comments);
  const [sales, setSales] = useState<LiveSale[]>(session.sales);
  const [coupons, setCoupons] = useState<RoomCoupon[]>(session.coupons);
  const [flash, setFlash] = useState<unknown>(null);
  const [text, setText] = useState('');
  const room = useSocket(roomPath(session.id), (m: RoomMessage) => {
    if (m.type === 'viewers' && typeof m.count === 'number') setViewers(m.count);
    else if (m.type === 'comment') setComments((c) => [...c.slice(-99), m as unknown as LiveComment]);
    else if (m.type === 'pinned') setPinned((m.productId as string | null) ?? null);
    else if (m.type === 'sale') setSales((s) => [m as unknown as LiveSale, ...s].slice(0, 20));
    else if (m.type === 'session') setStatus(m.status as LiveSessionView['status']);
    else if (m.type === 'flash') setFlash(m);
    else if (m.type === 'coupon') {
      const c = m.coupon as RoomCoupon;
      setCoupons((list) => (list.some((x) => x.id === c.id) ? list : [c, ...list]));
      Toast.show({ content: c.title });
    } else if (m.type === 'error') Toast.show({ content: String(m.message ?? m.code), icon: 'fail' });
  });
  const presenting = session.products.find((p) => p.id === pinned);
  const send = () => {
    const body = text.trim();
    if (!body) return;
    if (room.send({ type: 'comment', text: body })) setText('');
  };
  return (
    <div className="lv-room" data-testid="live-room-body" data-status={status}>
      <div className="lv-stage">
        <LivePlayer sessionId={session.id} live={status === 'live'} />
        <div className="lv-badges">
          {status === 'live' ? (
            <Tag color="danger" data-testid="live-badge">
              {t('live.live')}
            </Tag>
          ) : (
            <Tag>
              {status === 'scheduled'
                ? t('live.notStarted', { time: formatTime(session.scheduledAt) })
                : t('live.over')}
            </Tag>
          )}
          <span className="lv-viewers" data-testid="live-viewers" data-count={viewers}>
            {t('live.viewers', { count: viewers })}
          </span>
          {!room.connected && <span className="lv-muted">{t('live.connecting')}</span>}
        </div>
        <div className="lv-ticker" data-testid="live-ticker">
          {sales.slice(0, 3).map((s) => (
            <div key={`${s.at}-${s.name}-${s.productTitle}`} className="lv-sale">
              {t('live.bought', { name: s.name, title: s.productTitle, quantity: s.quantity })}
            </div>
          ))}
        </div>
      </div>

      {presenting && (
        <div className="lv-pinned" data-testid="live-pinned" data-product={presenting.id}>
          {presenting.image && <img src={presenting.image} alt="" />}
          <div className="lv-pinned-body">
            <Tag color="warning">{t('live.presenting')}</Tag>
            <div className="lv-title">{presenting.title}</div>
            <div className="lv-price">{formatFen(presenting.priceFen)}</div>
          </div>
          <Link to={liveProductPath(presenting.id, session.id)} data-testid="live-buy-pinned">
            <Button color="danger" size="small" shape="rounded">
              {t('live.buy')}
            </Button>
          </Link>
        </div>
      )}

      <FlashSaleCard sessionId={session.id} lastMessage={flash} />

      {coupons.length > 0 && (
        <div className="lv-section">
          <div className="lv-h">{t('live.coupons')}</div>
          <div className="lv-coupons">
            {coupons.map((c) => (
              <CouponChip key={c.id} coupon={c} signedIn={account !== null} />
            ))}
          </div>
        </div>
      )}

      <div className="lv-section">
        <div className="lv-h">{t('live.products')}</div>
        {session.products.map((p) => (
          <Link
            key={p.id}
            to={liveProductPath(p.id, session.id)}
            className="lv-product"
            data-testid="live-product"
          >
            {p.image && <img src={p.image} alt="" />}
            <span className="lv-title">{p.title}</span>
            {p.id === pinned && <Tag color="warning">{t('live.presenting')}</Tag>}
            <span className="lv-price">{formatFen(p.priceFen)}</span>
          </Link>
        ))}
      </div>

      <div className="lv-section">
        <div className="lv-h">{t('live.comments')}</div>
        <div className="lv-comments" data-testid="live-comments">
          {comments.length === 0 && <div className="lv-muted">{t('live.noComments')}</div>}
          {comments.map((c) => (
            <div key={c.id} className="lv-comment">
              <span className="lv-name">{c.name}</span> {c.text}
            </div>
          ))}
        </div>
        {status === 'live' &&
          (account ? (
            <div className="lv-compose">
              <Input
                value={text}
                onChange={setText}
                maxLength={120}
                placeholder={t('live.commentPlaceholder')}
                onEnterPress={send}
                data-testid="live-comment-input"
              />
              <Button size="small" color="primary" onClick={send} data-testid="live-comment-send">
                {t('live.send')}
              </Button>
            </div>
          ) : (
            <Link to="/login">{t('live.signInToComment')}</Link>
          ))}
      </div>
    </div>
  );
}

function CouponChip({ coupon, signedIn }: { coupon: RoomCoupon; signedIn: boolean }) {
  const { t } = useTranslation();
  const [claimed, setClaimed] = useState(false);
  const claim = async () => {
    if (!signedIn) {
      Toast.show({ content: t('live.signInToComment') });
      return;
    }
    try {
      await pricingApi.claim(coupon.id);
      setClaimed(true);
      Toast.show({ content: t('live.claimed'), icon: 'success' });
    } catch (e) {
      Toast.show({ content: errorMessage(e), icon: 'fail' });
    }
  };
  const off = formatFen(coupon.discountFen);
  return (
    <div className="lv-coupon" data-testid="live-coupon">
      <div>
        <div className="lv-coupon-rule">
          {coupon.thresholdFen > 0
            ? t('live.couponRule', { off, over: formatFen(coupon.thresholdFen) })
            : t('live.couponNoThreshold', { off })}
        </div>
        <div className="lv-muted">{coupon.title}</div>
      </div>
      <Button size="mini" color="danger" fill="outline" disabled={claimed} onClick={claim}>
        {claimed ? t('live.claimed') : t('live.claim')}
      </Button>
    </div>
  );
}

/** `/live`: sessions live now and upcoming, with the reserve button. */
export function LiveListPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const state = useAsync((signal) => liveApi.list(signal), []);
  const [mine, setMine] = useState<Record<string, boolean>>({});
  const toggle = async (id: string, reserved: boolean) => {
    if (!account) {
      Toast.show({ content: t('live.signInToComment') });
      return;
    }
    try {
      if (reserved) await liveApi.unreserve(id);
      else await liveApi.reserve(id);
      setMine((m) => ({ ...m, [id]: !reserved }));
    } catch (e) {
      Toast.show({ content: errorMessage(e), icon: 'fail' });
    }
  };
  return (
    <Screen title={t('live.listTitle')} testId="live-list">
      {state.loading && !state.data ? (
        <Loading />
      ) : state.error || !state.data ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : state.data.length === 0 ? (
        <div className="lv-empty">{t('live.empty')}</div>
      ) : (
        state.data.map((s) => {
          const reserved = mine[s.id] ?? s.reservedByMe;
          return (
            <div key={s.id} className="lv-card" data-testid="live-session" data-status={s.status}>
              <Link to={`/live/${s.id}`} className="lv-card-main">
                <Tag color={s.status === 'live' ? 'danger' : 'default'}>
                  {s.status === 'live' ? t('live.live') : t('live.upcoming')}
                </Tag>
                <div className="lv-title">{s.title}</div>
                <div className="lv-muted">
                  {s.storeName} ·{' '}
                  {s.status === 'live'
                    ? t('live.viewers', { count: s.viewers })
                    : t('live.notStarted', { time: formatTime(s.scheduledAt) })}{' '}
                  ·{' '}
                  {t('live.reservations', {
                    count: s.reservations + (reserved === s.reservedByMe ? 0 : reserved ? 1 : -1),
                  })}
                </div>
              </Link>
              {s.status === 'live' ? (
                <Link to={`/live/${s.id}`}>
                  <Button size="small" color="danger">
                    {t('live.watch')}
                  </Button>
                </Link>
              ) : (
                <Button
                  size="small"
                  color={reserved ? 'default' : 'primary'}
                  onClick={() => toggle(s.id, reserved)}
                  data-testid="live-reserve"
                >
                  {reserved ? t('live.reserved') : t('live.reserve')}
                </Button>
              )}
            </div>
          );
        })
      )}
    </Screen>
  );
}

/** `/me/notices`: the notification centre, live over the notices socket. */
export function NoticesPage() {
  const { t } = useTranslation();
  const state = useAsync((signal) => liveApi.notices(signal), []);
  const [fresh, setFresh] = useState<
    Array<{ id: string; title: string; body: string; link: string | null; createdAt: string; read: boolean }>
  >([]);
  useSocket('/me/notices/stream', (m) => {
    if (m.type === 'notice') setFresh((f) => [m.notice as (typeof f)[number], ...f]);
  });
  const items = [...fresh, ...(state.data?.items ?? []).filter((n) => !fresh.some((f) => f.id === n.id))];
  const readAll = async () => {
    await liveApi.readAll().catch(() => {});
    state.reload();
    setFresh([]);
  };
  return (
    <Screen
      title={t('live.notices')}
      testId="notices"
      right={
        <button type="button" className="b-link b-link-button" onClick={readAll}>
          {t('live.markAllRead')}
        </button>
      }
    >
      {state.loading && !state.data ? (
        <Loading />
      ) : state.error ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : items.length === 0 ? (
        <div className="lv-empty">{t('live.noNotices')}</div>
      ) : (
        items.map((n) => (
          <Link
            key={n.id}
            to={n.link ?? '#'}
            className={`lv-notice${n.read ? '' : ' lv-unread'}`}
            data-testid="notice"
          >
            <div className="lv-title">{n.title}</div>
            <div>{n.body}</div>
            <div className="lv-muted">{formatTime(n.createdAt)}</div>
          </Link>
        ))
      )}
    </Screen>
  );
}
