import { Button, DotLoading, Input, Popup, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { useSession } from '../../shared/session.tsx';
import { productPath } from '../attribution.ts';
import { FollowButton } from '../social/FollowButton.tsx';
import { EmptyView, ErrorView } from '../ui.tsx';
import { type FeedVideo, type VideoComment, videosApi } from './videos-api.ts';
import './videos.css';

const HEART =
  'M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 4.5 6.8 4.5c2.1 0 3.6 1.2 5.2 3 1.6-1.8 3.1-3 5.2-3 3.8 0 5.9 3.9 4.4 7.3C19.5 16.4 12 21 12 21z';
const BUBBLE = 'M4 5h16v11H9l-5 4z';

function Icon({ d }: { d: string }) {
  return (
    <svg className="vf-icon" width="30" height="30" viewBox="0 0 24 24" fill="currentColor" aria-hidden>
      <path d={d} />
    </svg>
  );
}

/** Seconds of playing after which the view beacon is sent (once per card). */
const VIEW_AFTER_S = 1;

/**
 * The buyer's vertical short-video feed: one full-height card per video, scroll-snapped (swipe), the
 * card in view plays muted and loops, the poster shows while it loads; like, comments, linked products at
 * their final price (product links carry from=video|replay&content=<videoId>), and on a reservation video
 * the announced live session with a 预约直播 button.
 */
export function VideoFeedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [items, setItems] = useState<FeedVideo[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [commentsOf, setCommentsOf] = useState<FeedVideo | null>(null);
  const busy = useRef(false);

  const loadMore = useCallback(async (from: string | null) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    try {
      const page = await videosApi.feed(from);
      setItems((old) => (from ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void loadMore(null);
  }, [loadMore]);

  const patch = (id: string, change: Partial<FeedVideo>) =>
    setItems((old) => old.map((v) => (v.id === id ? { ...v, ...change } : v)));

  return (
    <div className="vf-page" data-testid="video-feed">
      <button type="button" className="vf-back" onClick={() => navigate('/')} aria-label={t('videos.back')}>
        ‹
      </button>
      <div className="vf-scroller">
        {items.map((v, i) => (
          <VideoCard
            key={v.id}
            video={v}
            onNear={() => {
              if (i >= items.length - 2 && !done && cursor) void loadMore(cursor);
            }}
            onPatch={(c) => patch(v.id, c)}
            onComments={() => setCommentsOf(v)}
          />
        ))}
        {loading && (
          <div className="vf-card vf-center">
            <DotLoading color="white" />
          </div>
        )}
        {!loading && error !== undefined && items.length === 0 && (
          <div className="vf-card vf-center">
            <ErrorView error={error} onRetry={() => void loadMore(null)} />
          </div>
        )}
        {!loading && error === undefined && items.length === 0 && (
          <div className="vf-card vf-center">
            <EmptyView text={t('videos.empty')} />
          </div>
        )}
        {!loading && done && items.length > 0 && <div className="vf-end">{t('videos.end')}</div>}
      </div>
      <CommentDrawer
        video={commentsOf}
        onClose={() => setCommentsOf(null)}
        onAdded={(id) => {
          const v = items.find((x) => x.id === id);
          if (v) patch(id, { comments: v.comments + 1 });
        }}
      />
    </div>
  );
}

function VideoCard({
  video,
  onNear,
  onPatch,
  onComments,
}: {
  video: FeedVideo;
  onNear: () => void;
  onPatch: (c: Partial<FeedVideo>) => void;
  onComments: () => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const ref = useRef<HTMLDivElement>(null);
  const player = useRef<HTMLVideoElement>(null);
  const viewed = useRef(false);
  const [ready, setReady] = useState(false);
  const [reserved, setReserved] = useState(false);
  const channel = video.kind === 'replay' ? 'replay' : 'video';

  // Plays while most of the card is in view; pauses otherwise. The next page loads near the end.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver(
      ([entry]) => {
        const p = player.current;
        if (!entry || !p) return;
        if (entry.intersectionRatio >= 0.6) {
          onNear();
          p.play().catch(() => undefined);
        } else p.pause();
      },
      { threshold: [0, 0.6, 1] },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [onNear]);

  const needBuyer = () => {
    if (account?.role === 'buyer') return true;
    navigate('/login', { state: { from: '/videos' } });
    return false;
  };

  const like = async () => {
    if (!needBuyer()) return;
    try {
      const r = await videosApi.like(video.id, !video.likedByMe);
      onPatch({ likedByMe: r.liked, likes: r.likes });
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    }
  };

  const reserve = async () => {
    if (!video.session || !needBuyer()) return;
    try {
      await videosApi.reserve(video.session.id, video.id);
      setReserved(true);
      Toast.show({ icon: 'success', content: t('videos.reserved') });
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    }
  };

  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });

  return (
    <div
      className="vf-card"
      ref={ref}
      data-testid="video-card"
      data-video-id={video.id}
      data-kind={video.kind}
    >
      {!ready && <img className="vf-poster" src={video.posterUrl} alt="" />}
      <video
        ref={player}
        className="vf-video"
        src={video.fileUrl}
        poster={video.posterUrl}
        muted
        loop
        playsInline
        preload="metadata"
        onPlaying={() => setReady(true)}
        onTimeUpdate={(e) => {
          if (!viewed.current && e.currentTarget.currentTime >= VIEW_AFTER_S) {
            viewed.current = true;
            void videosApi.view(video.id).catch(() => undefined);
          }
        }}
      />
      <div className="vf-side">
        <button
          type="button"
          className={`vf-act${video.likedByMe ? ' vf-liked' : ''}`}
          onClick={like}
          data-testid="video-like"
        >
          <Icon d={HEART} />
          <span>{video.likes}</span>
        </button>
        <button type="button" className="vf-act" onClick={onComments} data-testid="video-comments">
          <Icon d={BUBBLE} />
          <span>{video.comments}</span>
        </button>
      </div>
      <div className="vf-info">
        <div className="vf-store" data-testid="video-store">
          <Link className="vf-store-name" to={`/store/${video.storeId}`}>
            @{video.storeName || t('buyer.store')}
          </Link>
          <FollowButton storeId={video.storeId} source="video" compact />
        </div>
        <div className="vf-kind">{t(`videos.kind.${video.kind}`)}</div>
        <div className="vf-title">{video.title}</div>
        {video.session && (
          <div className="vf-session" data-testid="video-session">
            <div>
              <div className="vf-session-title">{video.session.title}</div>
              <div className="vf-session-time">
                {video.session.status === 'live' ? t('videos.liveNow') : when(video.session.scheduledAt)}
              </div>
            </div>
            {video.kind === 'reservation' &&
              (video.session.status === 'live' ? (
                <Button size="small" color="danger" onClick={() => navigate(`/live/${video.session?.id}`)}>
                  {t('videos.watchLive')}
                </Button>
              ) : (
                <Button
                  size="small"
                  color="danger"
                  disabled={reserved}
                  onClick={reserve}
                  data-testid="video-reserve"
                >
                  {reserved ? t('videos.reservedShort') : t('videos.reserve')}
                </Button>
              ))}
          </div>
        )}
        {video.products.length > 0 && (
          <div className="vf-products">
            {video.products.map((p) => (
              <Link
                key={p.id}
                className="vf-product"
                to={productPath(p.id, { channel, contentId: video.id })}
                data-testid="video-product"
              >
                {p.image && <img src={p.image} alt="" />}
                <span className="vf-product-title">{p.title}</span>
                <span className="vf-product-price">{formatFen(p.priceFen)}</span>
              </Link>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

function CommentDrawer({
  video,
  onClose,
  onAdded,
}: {
  video: FeedVideo | null;
  onClose: () => void;
  onAdded: (videoId: string) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const [list, setList] = useState<VideoComment[] | null>(null);
  const [error, setError] = useState<unknown>();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (!video) return;
    const ctrl = new AbortController();
    setList(null);
    setError(undefined);
    videosApi.comments(video.id, ctrl.signal).then(
      (page) => setList(page.items),
      (e: unknown) => {
        if (!ctrl.signal.aborted) setError(e);
      },
    );
    return () => ctrl.abort();
  }, [video]);

  const send = async () => {
    if (!video) return;
    if (account?.role !== 'buyer') {
      navigate('/login', { state: { from: '/videos' } });
      return;
    }
    setSending(true);
    try {
      const { comment } = await videosApi.comment(video.id, text);
      setList((old) => [comment, ...(old ?? [])]);
      setText('');
      onAdded(video.id);
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    } finally {
      setSending(false);
    }
  };

  return (
    <Popup visible={video !== null} onMaskClick={onClose} bodyStyle={{ height: '60vh' }} destroyOnClose>
      <div className="vf-drawer" data-testid="video-comment-drawer">
        <div className="vf-drawer-head">{t('videos.comments')}</div>
        <div className="vf-drawer-list">
          {error !== undefined && <ErrorView error={error} />}
          {list === null && error === undefined && <DotLoading />}
          {list?.length === 0 && <div className="b-muted-sm">{t('videos.noComments')}</div>}
          {list?.map((c) => (
            <div key={c.id} className="vf-comment">
              <span className="vf-comment-name">{c.name}</span>
              <span>{c.body}</span>
            </div>
          ))}
        </div>
        <div className="vf-drawer-input">
          <Input
            value={text}
            onChange={setText}
            maxLength={200}
            placeholder={t('videos.commentPlaceholder')}
            onEnterPress={() => void (text.trim() && send())}
            data-testid="video-comment-input"
          />
          <Button size="small" color="primary" disabled={!text.trim() || sending} onClick={send}>
            {t('videos.send')}
          </Button>
        </div>
      </div>
    </Popup>
  );
}
