import { Image } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../api.ts';
import { useAsync } from '../shared/hooks.ts';
import { SortTabs } from './Home.tsx';
import { StoreScore } from './reviews/StoreScore.tsx';
import { FanCoupons } from './social/FanCoupons.tsx';
import { FollowButton } from './social/FollowButton.tsx';
import { ErrorView, Loading, ProductFeed, Screen } from './ui.tsx';

export function StorePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [sort, setSort] = useState('sales');
  // Bumped by a follow or an unfollow: the fan coupons read the follow and the held coupons again.
  const [followVersion, setFollowVersion] = useState(0);
  const { data, error, loading, reload } = useAsync(
    (signal) => api.get('/stores/{id}', { params: { path: { id } }, signal }),
    [id],
  );
  const store = data?.store;
  return (
    <Screen title={store?.name ?? t('buyer.store')} testId="store-page">
      {loading && !store ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : store ? (
        <>
          <div className="b-store-head">
            {store.logoUrl ? (
              <Image src={store.logoUrl} width={56} height={56} fit="cover" className="b-store-logo" />
            ) : (
              <div className="b-store-logo b-store-logo-text">{store.name.slice(0, 1)}</div>
            )}
            <div className="b-store-info">
              <div className="b-store-name" data-testid="store-name">
                {store.name}
              </div>
              <div className="b-muted-sm">{t('buyer.productCount', { n: store.productCount ?? 0 })}</div>
              {store.description && <div className="b-store-desc">{store.description}</div>}
              <FollowButton
                storeId={store.id}
                source="store"
                onChange={() => setFollowVersion((n) => n + 1)}
              />
            </div>
          </div>
          <FanCoupons storeId={store.id} version={followVersion} />
          <StoreScore storeId={store.id} />
          <div className="b-section-title">{t('buyer.storeProducts')}</div>
          <SortTabs sort={sort} onChange={setSort} />
          <ProductFeed query={{ storeId: store.id, sort }} from="store" />
        </>
      ) : null}
    </Screen>
  );
}
