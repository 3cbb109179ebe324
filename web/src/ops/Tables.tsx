import { Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  type MerchantRow,
  ORDER_STATUSES,
  type Order,
  type OrderStatus,
  type ProductCard,
} from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { STATUS_COLORS } from '../console/status-colors.ts';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** A server-paginated table over one of the ops list endpoints. */
function PagedTable<T extends { id: string }>({
  load,
  filter = '',
  columns,
  testId,
}: {
  /** One page of the list: the endpoint's answer. */
  load: (
    page: { page: number; pageSize: number },
    signal: AbortSignal,
  ) => Promise<{ items: T[]; total: number }>;
  /** What the list is filtered by, so a change reloads it. */
  filter?: string;
  columns: ColumnsType<T>;
  testId: string;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useAsync(
    (signal) => load({ page, pageSize }, signal),
    [filter, page, pageSize],
  );
  return (
    <>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<T>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={columns}
        locale={{ emptyText: <EmptyState /> }}
        scroll={{ x: 900 }}
        onRow={() => ({ 'data-testid': `${testId}-row` }) as React.HTMLAttributes<HTMLElement>}
        data-testid={testId}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('consoleReview.totalRows', { count: n }),
          onChange: (p, ps) => {
            setPage(p);
            setPageSize(ps);
          },
        }}
      />
    </>
  );
}

export function MerchantsPage() {
  const { t, i18n } = useTranslation();
  return (
    <div>
      <h1 className="c-page-title">{t('ops.menu.merchants')}</h1>
      <PagedTable<MerchantRow>
        load={(query, signal) => api.get('/ops/merchants', { params: { query }, signal })}
        testId="ops-merchants"
        columns={[
          { title: t('ops.storeName'), dataIndex: 'name' },
          {
            title: t('ops.businessType'),
            dataIndex: 'businessType',
            width: 100,
            render: (v: string) => t(`merchant.businessTypes.${v}`, { defaultValue: v }),
          },
          { title: t('ops.ownerPhone'), dataIndex: 'ownerPhone', width: 140 },
          {
            title: t('ops.openedAt'),
            dataIndex: 'openedAt',
            width: 180,
            render: (v: string) => formatTime(v, i18n.language),
          },
          { title: t('ops.productCount'), dataIndex: 'productCount', width: 100, align: 'right' },
          { title: t('ops.orderCount'), dataIndex: 'orderCount', width: 100, align: 'right' },
        ]}
      />
    </div>
  );
}

export function ProductsPage() {
  const { t, i18n } = useTranslation();
  return (
    <div>
      <h1 className="c-page-title">{t('ops.menu.products')}</h1>
      <PagedTable<ProductCard>
        load={(query, signal) => api.get('/ops/products', { params: { query }, signal })}
        testId="ops-products"
        columns={[
          {
            title: '',
            key: 'image',
            width: 72,
            render: (_, r) => (r.image ? <img src={r.image} alt="" className="c-thumb" /> : null),
          },
          { title: t('merchant.productTitle'), dataIndex: 'title' },
          { title: t('ops.store'), dataIndex: 'storeName', width: 160 },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 100,
            render: (v?: string) =>
              v ? <Tag color={v === 'on_sale' ? 'green' : 'default'}>{t(`status.${v}`)}</Tag> : '—',
          },
          { title: t('ops.price'), dataIndex: 'priceFen', width: 110, render: (v?: number) => formatFen(v) },
          { title: t('ops.sales'), dataIndex: 'sales', width: 80, align: 'right' },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 180,
            render: (v?: string) => formatTime(v, i18n.language),
          },
        ]}
      />
    </div>
  );
}

export function OrdersPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'all' | OrderStatus>('all');
  return (
    <div>
      <h1 className="c-page-title">{t('ops.menu.orders')}</h1>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          { value: 'all', label: t('common.all') },
          ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        ]}
      />
      <PagedTable<Order>
        load={(query, signal) =>
          api.get('/ops/orders', {
            params: { query: { ...query, status: status === 'all' ? undefined : status } },
            signal,
          })
        }
        filter={status}
        testId="ops-orders"
        columns={[
          { title: t('ops.orderNo'), dataIndex: 'orderNo', width: 200 },
          { title: t('ops.store'), dataIndex: 'storeName' },
          { title: t('ops.amount'), dataIndex: 'totalFen', width: 120, render: (v: number) => formatFen(v) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 110,
            render: (v: string) => <Tag color={STATUS_COLORS[v]}>{t(`status.${v}`)}</Tag>,
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 180,
            render: (v: string) => formatTime(v, i18n.language),
          },
        ]}
      />
    </div>
  );
}
