import { Button, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
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

/** One page of a keyset-paged ops list, as its endpoint answers it. */
type KeysetPage<T> = { items: T[]; nextCursor: string | null; total: number; totalCapped: boolean };

/**
 * A server-paged table over one of the ops list endpoints. They page by keyset (a cursor, not a page
 * number), so the table steps forward and back through the cursors it was given, and shows the count
 * as "10000+" when the server stopped counting.
 */
function PagedTable<T extends { id: string }>({
  load,
  filter = '',
  columns,
  testId,
}: {
  /** One page of the list: the endpoint's answer. */
  load: (page: { cursor?: string; pageSize: number }, signal: AbortSignal) => Promise<KeysetPage<T>>;
  /** What the list is filtered by, so a change reloads it. */
  filter?: string;
  columns: ColumnsType<T>;
  testId: string;
}) {
  const { t } = useTranslation();
  const [pageSize, setPageSize] = useState(20);
  // The cursors of the pages up to the one shown (the first page has none), for the filter they were
  // given under: another filter starts again from the first page.
  const [paging, setPaging] = useState<{ filter: string; cursors: Array<string | undefined> }>({
    filter,
    cursors: [undefined],
  });
  const cursors = paging.filter === filter ? paging.cursors : [undefined];
  const setCursors = (next: Array<string | undefined>) => setPaging({ filter, cursors: next });
  const cursor = cursors.at(-1);
  const { data, error, loading, reload } = useAsync(
    (signal) => load({ cursor, pageSize }, signal),
    [filter, cursor, pageSize],
  );
  const next = data?.nextCursor;
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
        pagination={false}
      />
      <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }} wrap>
        <Typography.Text type="secondary" data-testid={`${testId}-total`}>
          {t('consoleReview.totalRows', { count: data?.total ?? 0 })}
          {data?.totalCapped ? '+' : ''}
        </Typography.Text>
        <Typography.Text type="secondary">{t('ops.pager.pageNumber', { n: cursors.length })}</Typography.Text>
        <Button
          disabled={cursors.length <= 1 || loading}
          onClick={() => setCursors(cursors.slice(0, -1))}
          data-testid={`${testId}-prev`}
        >
          {t('ops.pager.prevPage')}
        </Button>
        <Button
          disabled={!next || loading}
          onClick={() => next && setCursors([...cursors, next])}
          data-testid={`${testId}-next`}
        >
          {t('ops.pager.nextPage')}
        </Button>
        <Select
          value={pageSize}
          style={{ width: 120 }}
          onChange={(n) => {
            setPageSize(n);
            setCursors([undefined]);
          }}
          options={[10, 20, 50, 100].map((n) => ({ value: n, label: t('ops.pager.perPage', { n }) }))}
        />
      </Space>
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
