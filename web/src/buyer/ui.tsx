import { Button, DotLoading, ErrorBlock, Image, InfiniteScroll, NavBar, Skeleton } from 'antd-mobile';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api, errorMessage, type ProductCard, type QueryOf } from '../api.ts';
import { formatFen } from '../money.ts';
import { useSession } from '../shared/session.tsx';
import { type AttributionChannel, productPath } from './attribution.ts';
import { CardPrice } from './trust/PriceSheet.tsx';

/** A page with a top bar and a back arrow. */
export function Screen({
  title,
  children,
  right,
  back = true,
  testId,
}: {
  title: ReactNode;
  children: ReactNode;
  right?: ReactNode;
  back?: boolean;
  testId?: string;
}) {
  const navigate = useNavigate();
  const goBack = () => (window.history.length > 1 ? navigate(-1) : navigate('/'));
  return (
    <div className="b-screen" data-testid={testId}>
      <NavBar className="b-navbar" onBack={back ? goBack : undefined} back={back ? '' : null} right={right}>
        {title}
      </NavBar>
      <div className="b-screen-body">{children}</div>
    </div>
  );
}

export function Loading({ rows = 4 }: { rows?: number }) {
  return (
    <div className="b-pad" data-testid="loading">
      <Skeleton.Title animated />
      <Skeleton.Paragraph lineCount={rows} animated />
    </div>
  );
}

export function Spinner({ text }: { text?: string }) {
  const { t } = useTranslation();
  return (
    <div className="b-center-muted" data-testid="loading">
      {text ?? t('common.loading')}
      <DotLoading />
    </div>
  );
}

export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <ErrorBlock
      status="default"
      title={t('common.error')}
      description={<span data-testid="error-message">{errorMessage(error)}</span>}
    >
      {onRetry && (
        <Button size="small" color="primary" fill="outline" onClick={onRetry} data-testid="retry">
          {t('common.retry')}
        </Button>
      )}
    </ErrorBlock>
  );
}

export function EmptyView({ text, children }: { text?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ErrorBlock status="empty" title={text ?? t('common.empty')} description="" data-testid="empty">
      {children}
    </ErrorBlock>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <ErrorBlock status="default" title={t('common.notFound')} description="" fullPage>
      <Button color="primary" onClick={() => navigate('/')}>
        {t('common.goHome')}
      </Button>
    </ErrorBlock>
  );
}

export function Price({
  fen,
  size = 'md',
  testId,
}: {
  fen: number;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
}) {
  return (
    <span className={`b-price b-price-${size}`} data-testid={testId}>
      {formatFen(fen)}
    </span>
  );
}

export function ProductCardView({ p, from }: { p: ProductCard; from?: AttributionChannel }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="b-card"
      data-testid="product-card"
      data-product-id={p.id}
      onClick={() => navigate(productPath(p.id, from ? { channel: from } : undefined))}
    >
      <Image src={p.image} className="b-card-img" fit="cover" lazy alt={p.title} />
      <div className="b-card-body">
        <div className="b-card-title" data-testid="product-card-title">
          {p.title}
        </div>
        <div className="b-card-meta">
          <CardPrice productId={p.id} fen={p.priceFen} />
          <span className="b-muted-sm">{t('buyer.sold', { n: p.sales })}</span>
        </div>
        <div className="b-card-store">{p.storeName}</div>
      </div>
    </button>
  );
}

type ProductListQuery = QueryOf<'/products', 'get'>;
type ProductSort = NonNullable<ProductListQuery['sort']>;
const SORTS: ProductSort[] = ['new', 'sales', 'price_asc', 'price_desc'];
/** What the product feed lists; `sort` may come from the address bar, so any text is read (else the server's default). */
export type ProductQuery = Omit<ProductListQuery, 'page' | 'pageSize' | 'sort'> & { sort?: string };

/** A two-column product grid that loads pages as the buyer scrolls. */
export function ProductFeed({
  query,
  emptyText,
  from,
}: {
  query: ProductQuery;
  emptyText?: string;
  /** Where the cards' links say the buyer came from (`?from=`): search, a store page … */
  from?: AttributionChannel;
}) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ProductCard[]>([]);
  const [page, setPage] = useState(0);
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<unknown>();
  const key = JSON.stringify(query);
  const gen = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the query changes
  useEffect(() => {
    gen.current += 1;
    setItems([]);
    setPage(0);
    setTotal(undefined);
    setError(undefined);
  }, [key]);

  const loadMore = async () => {
    const my = gen.current;
    try {
      const res = await api.get('/products', {
        params: {
          query: {
            ...query,
            sort: SORTS.find((s) => s === query.sort),
            page: page + 1,
            pageSize: 20,
          },
        },
      });
      if (my !== gen.current) return;
      setItems((prev) => [...prev, ...res.items]);
      setPage(res.page);
      setTotal(res.total);
    } catch (e) {
      if (my !== gen.current) return;
      setError(e);
    }
  };

  const hasMore = !error && (total === undefined || items.length < total);
  if (error && items.length === 0)
    return (
      <ErrorView
        error={error}
        onRetry={() => {
          setError(undefined);
        }}
      />
    );
  return (
    <div data-testid="product-feed">
      {total === 0 ? (
        <EmptyView text={emptyText ?? t('buyer.noResults')} />
      ) : (
        <div className="b-grid">
          {items.map((p) => (
            <ProductCardView key={p.id} p={p} from={from} />
          ))}
        </div>
      )}
      {total === undefined && items.length === 0 && <FeedSkeleton />}
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore} threshold={300}>
        {hasMore ? <Spinner /> : total ? <span className="b-muted-sm">{t('common.noMore')}</span> : null}
      </InfiniteScroll>
    </div>
  );
}

function FeedSkeleton() {
  return (
    <div className="b-grid">
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

/** Sends visitors who are not signed in as a buyer to the sign-in page, then back. */
export function RequireBuyer({ children }: { children: ReactNode }) {
  const { account, loading } = useSession();
  const location = useLocation();
  if (loading) return <Spinner />;
  if (account?.role !== 'buyer') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

export function SearchBox({ initial = '', autoFocus }: { initial?: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      className="b-search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
      }}
    >
      <input
        className="b-search-input"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('buyer.searchPlaceholder')}
        data-testid="search-input"
        // biome-ignore lint/a11y/noAutofocus: the search page is for typing
        autoFocus={autoFocus}
        enterKeyHint="search"
      />
      <button className="b-search-btn" type="submit" data-testid="search-submit">
        {t('common.search')}
      </button>
    </form>
  );
}

export function Field({
  label,
  value,
  onChange,
  testId,
  placeholder,
  type = 'text',
  inputMode,
  maxLength,
  error,
  extra,
  autoComplete,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  placeholder?: string;
  type?: string;
  inputMode?: 'numeric' | 'tel' | 'text';
  maxLength?: number;
  error?: string;
  extra?: ReactNode;
  autoComplete?: string;
}) {
  return (
    <label className="b-field">
      <span className="b-field-label">{label}</span>
      <span className="b-field-row">
        <input
          className="b-field-input"
          type={type}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          maxLength={maxLength}
          autoComplete={autoComplete}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
          aria-invalid={error ? true : undefined}
        />
        {extra}
      </span>
      {error && <span className="b-field-error">{error}</span>}
    </label>
  );
}
