import { List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';

/** 我的关注: the stores I follow, newest first. */
export function MyFollowsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useAsync((signal) => api.get('/me/follows', { signal }), []);
  return (
    <Screen title={t('social.myFollows')} testId="my-follows-page">
      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : data && data.items.length > 0 ? (
        <List>
          {data.items.map((s) => (
            <List.Item
              key={s.storeId}
              onClick={() => navigate(`/store/${s.storeId}`)}
              description={t('social.fans', { n: s.fans })}
              data-testid="followed-store"
            >
              {s.name}
            </List.Item>
          ))}
        </List>
      ) : (
        <EmptyView text={t('social.noFollows')} />
      )}
    </Screen>
  );
}
