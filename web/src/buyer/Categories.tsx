import { SideBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { localName } from '../i18n/index.ts';
import { useCategories } from './Home.tsx';
import { EmptyView, ErrorView, Loading, SearchBox } from './ui.tsx';

export function CategoriesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useCategories();
  const [active, setActive] = useState<string>();
  const lang = i18n.language;
  const go = (id: string, title: string) =>
    navigate(`/search?categoryId=${encodeURIComponent(id)}&title=${encodeURIComponent(title)}`);

  let body: React.ReactNode;
  if (loading && !data) body = <Loading rows={8} />;
  else if (error) body = <ErrorView error={error} onRetry={reload} />;
  else if (!data || data.categories.length === 0) body = <EmptyView />;
  else {
    const roots = data.categories;
    const current = roots.find((c) => c.id === active) ?? roots[0];
    body = (
      <div className="b-cats">
        <SideBar activeKey={current.id} onChange={setActive} className="b-cats-side">
          {roots.map((c) => (
            <SideBar.Item key={c.id} title={<span data-testid="category-root">{localName(c, lang)}</span>} />
          ))}
        </SideBar>
        <div className="b-cats-main">
          <button
            type="button"
            className="b-cats-all"
            onClick={() => go(current.id, localName(current, lang))}
          >
            {t('buyer.viewAll')} · {localName(current, lang)} ›
          </button>
          <div className="b-cats-grid">
            {(current.children ?? []).map((leaf) => (
              <button
                type="button"
                key={leaf.id}
                className="b-cats-leaf"
                data-testid="category-leaf"
                data-category-id={leaf.id}
                onClick={() => go(leaf.id, localName(leaf, lang))}
              >
                <span className="b-cats-leaf-icon">{localName(leaf, lang).slice(0, 1)}</span>
                <span>{localName(leaf, lang)}</span>
              </button>
            ))}
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="b-cats-page" data-testid="categories-page">
      <div className="b-cats-head">
        <SearchBox />
      </div>
      {body}
    </div>
  );
}
