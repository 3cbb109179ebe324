import { CapsuleTabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api.ts';
import { localName, toggleLang } from '../i18n/index.ts';
import { useAsync } from '../shared/hooks.ts';
import { HomeFeed } from './HomeFeed.tsx';
import { SearchBox } from './ui.tsx';

export function useCategories() {
  return useAsync((signal) => api.get('/categories', { signal }), []);
}

export function SortTabs({ sort, onChange }: { sort: string; onChange: (s: string) => void }) {
  const { t } = useTranslation();
  return (
    <CapsuleTabs activeKey={sort} onChange={onChange} className="b-sort">
      <CapsuleTabs.Tab key="new" title={t('buyer.sortNew')} />
      <CapsuleTabs.Tab key="sales" title={t('buyer.sortSales')} />
      <CapsuleTabs.Tab key="price_asc" title={t('buyer.sortPriceAsc')} />
      <CapsuleTabs.Tab key="price_desc" title={t('buyer.sortPriceDesc')} />
    </CapsuleTabs>
  );
}

export function HomePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const cats = useCategories();
  return (
    <div className="b-home" data-testid="home-page">
      <header className="b-hero">
        <div className="b-hero-top">
          <span className="b-logo">{t('common.appName')}</span>
          <button type="button" className="b-lang" onClick={toggleLang} data-testid="lang-switch">
            {t('common.switchLang')}
          </button>
        </div>
        <SearchBox />
      </header>
      <nav className="b-cat-strip b-home-entries" data-testid="home-entries">
        <button
          type="button"
          className="b-cat-chip"
          data-testid="home-videos"
          onClick={() => navigate('/videos')}
        >
          <span className="b-cat-dot">▶</span>
          {t('buyer.tabs.videos')}
        </button>
        <button
          type="button"
          className="b-cat-chip"
          data-testid="home-live"
          onClick={() => navigate('/live')}
        >
          <span className="b-cat-dot">●</span>
          {t('live.listTitle')}
        </button>
      </nav>
      {cats.data && cats.data.categories.length > 0 && (
        <nav className="b-cat-strip" data-testid="home-categories">
          {cats.data.categories.map((c) => (
            <button
              key={c.id}
              type="button"
              className="b-cat-chip"
              data-testid="home-category"
              onClick={() =>
                navigate(
                  `/search?categoryId=${encodeURIComponent(c.id)}&title=${encodeURIComponent(localName(c, i18n.language))}`,
                )
              }
            >
              <span className="b-cat-dot">{localName(c, i18n.language).slice(0, 1)}</span>
              {localName(c, i18n.language)}
            </button>
          ))}
        </nav>
      )}
      <div className="b-section-title">{t('buyer.recommend')}</div>
      <HomeFeed />
    </div>
  );
}
