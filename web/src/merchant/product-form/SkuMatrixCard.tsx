import { Button, Card, Col, Form, Input, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api.ts';
import { SavedSkuStock } from '../SkuStock.tsx';
import { skuKey } from './sku-matrix.ts';
import type { SkuMatrix } from './useSkuMatrix.ts';

/** Sizes and colours, a batch fill, and one row per SKU with its price and stock. */
export function SkuMatrixCard({ matrix, productId }: { matrix: SkuMatrix; productId: string }) {
  const { t } = useTranslation();
  const { editing, rows, cell, setCell } = matrix;
  const [batchPrice, setBatchPrice] = useState<number | null>(null);
  const [batchStock, setBatchStock] = useState<number | null>(null);

  return (
    <Card title={t('merchant.skus')} style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            label={t('merchant.sizes')}
            help={editing ? t('stockConsole.addDimsHint') : t('merchant.noSkuDims')}
          >
            <Input
              value={matrix.sizesText}
              onChange={(e) => matrix.setSizesText(e.target.value)}
              placeholder={t('merchant.sizesPlaceholder')}
              data-testid="product-sizes"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('merchant.colors')}>
            <Input
              value={matrix.colorsText}
              onChange={(e) => matrix.setColorsText(e.target.value)}
              placeholder={t('merchant.colorsPlaceholder')}
              data-testid="product-colors"
            />
          </Form.Item>
        </Col>
      </Row>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('merchant.batchFill')}:</Typography.Text>
        <InputNumber
          min={0.01}
          precision={2}
          step={1}
          prefix="¥"
          placeholder={t('merchant.price')}
          value={batchPrice}
          onChange={(v) => setBatchPrice(v)}
          data-testid="sku-batch-price"
        />
        <InputNumber
          min={0}
          precision={0}
          placeholder={t('merchant.stock')}
          value={batchStock}
          onChange={(v) => setBatchStock(v)}
          data-testid="sku-batch-stock"
        />
        <Button onClick={() => matrix.applyBatch(batchPrice, batchStock)} data-testid="sku-batch-apply">
          {t('merchant.apply')}
        </Button>
      </Space>
      {editing ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('stockConsole.reason')}:</Typography.Text>
          <Input
            value={matrix.adjustReason}
            onChange={(e) => matrix.setAdjustReason(e.target.value)}
            maxLength={100}
            placeholder={t('stockConsole.reasonPlaceholder')}
            data-testid="sku-stock-reason"
            style={{ width: 280, maxWidth: '100%' }}
          />
        </Space>
      ) : null}
      <Table
        size="small"
        scroll={{ x: 'max-content' }}
        rowKey={(r) => skuKey(r.size, r.color)}
        dataSource={rows}
        pagination={false}
        onRow={(r) =>
          ({
            'data-testid': 'sku-row',
            'data-size': r.size,
            'data-color': r.color,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('merchant.sizes'), dataIndex: 'size', render: (v: string) => v || '—' },
          { title: t('merchant.colors'), dataIndex: 'color', render: (v: string) => v || '—' },
          {
            title: t('merchant.price'),
            key: 'price',
            render: (_, r) => (
              <InputNumber
                min={0.01}
                precision={2}
                prefix="¥"
                value={cell(r.size, r.color).price}
                onChange={(v) => setCell(r.size, r.color, { price: v })}
                data-testid="sku-price"
                style={{ width: 140 }}
              />
            ),
          },
          {
            title: t('merchant.stock'),
            key: 'stock',
            render: (_, r) => {
              const c = cell(r.size, r.color);
              if (!r.saved || !c.id) {
                return (
                  <Space size={4}>
                    {editing ? <Tag color="blue">{t('stockConsole.newSku')}</Tag> : null}
                    <InputNumber
                      min={0}
                      precision={0}
                      value={c.stock}
                      onChange={(v) => setCell(r.size, r.color, { stock: v })}
                      data-testid="sku-stock"
                      style={{ width: 120 }}
                    />
                  </Space>
                );
              }
              return (
                <SavedSkuStock
                  productId={productId}
                  skuId={c.id}
                  levels={c.inventory}
                  adjust={c.adjust ?? null}
                  onAdjust={(v) =>
                    setCell(r.size, r.color, { adjust: v, adjustKey: v ? newIdempotencyKey() : undefined })
                  }
                />
              );
            },
          },
        ]}
      />
    </Card>
  );
}
