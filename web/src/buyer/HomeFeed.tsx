import './feed.css';
import { Image, InfiniteScroll, Skeleton } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigationType } from 'react-router-dom';
import { useSession } from '../shared/session.tsx';
import { type FeedCard, loadFeed, logClick, productHref } from './feed-api.ts';
import { type Kept, keptFor } from './kept-feed.ts';
import { CardPrice } from './trust/PriceSheet.tsx';
import { EmptyView, ErrorView, Spinner } from './ui.tsx';

interface FeedState {
  items: FeedCard[];
  cursor: string | null;
  /** Whether the feed said there is no next page. */
  done: boolean;
}

/**
 * The feed as the buyer last saw it: back (or forward) to home shows the same cards at the same depth,
 * as a native app does; a fresh visit to home (a tab, a link) asks the engine for a new page.
 */
let kept: Kept<FeedState> | null = null;

/** The home feed: cards ranked by the traffic engine, page after page as the buyer scrolls. */
export function HomeFeed() {
  const { t } = useTranslation();
  const navigationType = useNavigationType();
  const owner = useSession().account?.id ?? null;
  const [state, setState] = useState<FeedState>(
    () => keptFor(kept, owner, navigationType === 'POP') ?? { items: [], cursor: null, done: false },
  );
  const [error, setError] = useState<unknown>();
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useEffect(() => {
    kept = { owner, state };
  }, [owner, state]);
  // Signed out or another account signed in while here: the previous viewer's cards go.
  const ownerRef = useRef(owner);
  useEffect(() => {
    if (ownerRef.current === owner) return;
    ownerRef.current = owner;
    setState({ items: [], cursor: null, done: false });
  }, [owner]);

  const loadMore = async () => {
    try {
      const page = await loadFeed(state.cursor);
      if (!alive.current) return;
      setState((prev) => {
        // An item already shown (a retry after a lost answer) is not shown twice.
        const seen = new Set(prev.items.map((i) => i.impressionId));
        return {
          items: [...prev.items, ...page.items.filter((i) => !seen.has(i.impressionId))],
          cursor: page.nextCursor,
          done: page.nextCursor === null || page.items.length === 0,
        };
      });
    } catch (e) {
      if (alive.current) setError(e);
    }
  };

  const hasMore = !error && !state.done;
  const items = state.items.filter(known);
  if (error && items.length === 0) return <ErrorView error={error} onRetry={() => setError(undefined)} />;
  return (
    <div
      data-testid="home-feed"
      data-state={items.length ? 'items' : state.done ? 'empty' : error ? 'error' : 'loading'}
    >
      {state.done && items.length === 0 ? (
        <EmptyView text={t('traffic.buyer.empty')} />
      ) : (
        <div className="b-grid">
          {items.map((item) => (
            <FeedCardView key={item.impressionId} item={item} />
          ))}
        </div>
      )}
      {items.length === 0 && !state.done && !error ? <FeedSkeleton /> : null}
      {error && items.length > 0 ? <ErrorView error={error} onRetry={() => setError(undefined)} /> : null}
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore} threshold={300}>
        {hasMore ? (
          <Spinner />
        ) : items.length ? (
          <span className="b-muted-sm">{t('common.noMore')}</span>
        ) : null}
      </InfiniteScroll>
    </div>
  );
}

/** The kinds this app draws; a kind added later on the server is left out until the app knows it. */
const known = (item: FeedCard) =>
  (item.kind === 'product' || item.kind === 'video' || item.kind === 'live') && item.productId !== null;

/**
 * One card: the picture, title, final price, sales and store; it opens the product page (a video's or
 * live room's main product until their pages exist) with the attribution, and logs the click.
 */
function FeedCardView({ item }: { item: FeedCard }) {
  const { t } = useTranslation();
  const productId = item.productId as string;
  return (
    <Link
      to={productHref(productId, item.impressionId)}
      className="b-card"
      data-testid="product-card"
      data-product-id={productId}
      data-impression-id={item.impressionId}
      data-kind={item.kind}
      onClick={() => logClick(item.impressionId)}
    >
      <div className="b-feed-cover">
        <Image src={item.image} className="b-card-img" fit="cover" lazy alt={item.title} />
        {item.kind !== 'product' ? (
          <span className={`b-feed-badge b-feed-badge-${item.kind}`}>
            {t(`traffic.buyer.kind.${item.kind}`)}
          </span>
        ) : null}
      </div>
      <div className="b-card-body">
        <div className="b-card-title" data-testid="product-card-title">
          {item.title}
        </div>
        <div className="b-card-meta">
          <CardPrice productId={productId} fen={item.priceFen} />
          <span className="b-muted-sm">{t('buyer.sold', { n: item.sales })}</span>
        </div>
        <div className="b-card-store">{item.storeName}</div>
      </div>
    </Link>
  );
}

/** Four grey cards while the first page is on its way. */
function FeedSkeleton() {
  return (
    <div className="b-grid" data-testid="feed-skeleton">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="b-card">
          <Skeleton animated className="b-card-img-skeleton" />
          <div className="b-card-body">
            <Skeleton.Paragraph lineCount={2} animated />
          </div>
        </div>
      ))}
    </div>
  );
}
