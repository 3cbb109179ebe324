import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { SortTabs } from './Home.tsx';
import { ProductFeed, Screen, SearchBox } from './ui.tsx';

export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const categoryId = params.get('categoryId') ?? undefined;
  const title = params.get('title');
  const sort = params.get('sort') ?? (q ? 'sales' : 'new');
  const setSort = (s: string) => {
    const next = new URLSearchParams(params);
    next.set('sort', s);
    setParams(next, { replace: true });
  };
  return (
    <Screen title={title ?? t('buyer.searchResults')} testId="search-page">
      <div className="b-pad-x">
        <SearchBox initial={q} autoFocus={!q && !categoryId} />
      </div>
      <SortTabs sort={sort} onChange={setSort} />
      {q || categoryId ? <ProductFeed query={{ q: q || undefined, categoryId, sort }} from="search" /> : null}
    </Screen>
  );
}
