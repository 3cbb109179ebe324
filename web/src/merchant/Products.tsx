import { App, Button, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage, type ProductCard } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

export function ProductsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'all' | ProductCard['status']>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [busy, setBusy] = useState<string>();
  const { data, error, loading, reload } = useAsync(
    (signal) =>
      api.get('/merchant/products', {
        params: { query: { page, pageSize, status: status === 'all' ? undefined : status } },
        signal,
      }),
    [page, pageSize, status],
  );

  const toggle = async (row: ProductCard) => {
    setBusy(row.id);
    try {
      await api.patch('/merchant/products/{id}', {
        params: { path: { id: row.id } },
        body: {
          status: row.status === 'on_sale' ? 'off_sale' : 'on_sale',
        },
      });
      message.success(t('common.saved'));
      reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div data-testid="merchant-products">
      <h1 className="c-page-title">
        {t('merchant.products')}
        <Button type="primary" onClick={() => navigate('/merchant/products/new')} data-testid="new-product">
          + {t('merchant.newProduct')}
        </Button>
      </h1>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setStatus(v as typeof status);
          setPage(1);
        }}
        options={[
          { value: 'all', label: t('common.all') },
          { value: 'on_sale', label: t('status.on_sale') },
          { value: 'off_sale', label: t('status.off_sale') },
        ]}
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<ProductCard>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <EmptyState /> }}
        onRow={(r) =>
          ({
            'data-testid': 'merchant-product-row',
            'data-product-id': r.id,
          }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, ps) => {
            setPage(p);
            setPageSize(ps);
          },
        }}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: '',
            key: 'image',
            width: 72,
            render: (_, r) => (r.image ? <img src={r.image} alt="" className="c-thumb" /> : null),
          },
          {
            title: t('merchant.productTitle'),
            dataIndex: 'title',
            render: (v: string) => <span data-testid="merchant-product-title">{v}</span>,
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 100,
            render: (v: string) => (
              <Tag
                color={v === 'on_sale' ? 'green' : 'default'}
                data-testid="merchant-product-status"
                data-status={v}
              >
                {t(`status.${v}`, { defaultValue: v ?? '—' })}
              </Tag>
            ),
          },
          {
            title: t('merchant.minPrice'),
            key: 'price',
            width: 110,
            render: (_, r) => formatFen(r.priceFen),
          },
          { title: t('merchant.stock'), key: 'stock', width: 90, render: (_, r) => r.stock },
          { title: t('ops.sales'), dataIndex: 'sales', width: 80, render: (v?: number) => v ?? 0 },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v?: string) => formatTime(v, i18n.language),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            fixed: 'right',
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => navigate(`/merchant/products/${r.id}/edit`)}
                  data-testid="edit-product"
                >
                  {t('merchant.edit')}
                </Button>
                <Button
                  size="small"
                  loading={busy === r.id}
                  onClick={() => toggle(r)}
                  data-testid="toggle-product-status"
                >
                  {r.status === 'on_sale' ? t('merchant.offSale') : t('merchant.onSale')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
