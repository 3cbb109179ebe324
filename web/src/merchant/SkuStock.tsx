import { Button, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type StockLevels, type StockMovement } from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** On hand, reserved (promised to unshipped orders) and sellable, side by side. */
export function StockFigures({ levels }: { levels: StockLevels }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap data-testid="sku-stock-figures">
      <Tag data-testid="sku-on-hand">
        {t('stockConsole.onHand')} {levels.onHand}
      </Tag>
      <Tag color={levels.reserved > 0 ? 'orange' : undefined} data-testid="sku-reserved">
        {t('stockConsole.reserved')} {levels.reserved}
      </Tag>
      <Tag color={levels.sellable > 0 ? 'green' : 'red'} data-testid="sku-sellable">
        {t('stockConsole.sellable')} {levels.sellable}
      </Tag>
    </Space>
  );
}

/**
 * The stock cell of a saved SKU in the product form: its three figures, a relative adjustment
 * (never an absolute number, which would overwrite sales made since the page was read), its history.
 */
export function SavedSkuStock(props: {
  productId: string;
  skuId: string;
  levels: StockLevels | undefined;
  adjust: number | null;
  onAdjust: (value: number | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {props.levels ? <StockFigures levels={props.levels} /> : null}
      <InputNumber
        precision={0}
        min={props.levels ? -props.levels.sellable : undefined}
        placeholder={t('stockConsole.adjust')}
        value={props.adjust}
        onChange={(v) => props.onAdjust(v)}
        data-testid="sku-stock-adjust"
        style={{ width: 110 }}
      />
      <StockHistoryButton productId={props.productId} skuId={props.skuId} />
    </Space>
  );
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** A button opening the SKU's stock-movement log (newest first). */
export function StockHistoryButton({ productId, skuId }: { productId: string; skuId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)} data-testid="sku-stock-history">
        {t('stockConsole.history')}
      </Button>
      {open ? <StockHistory productId={productId} skuId={skuId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function StockHistory({
  productId,
  skuId,
  onClose,
}: {
  productId: string;
  skuId: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const history = useAsync(
    (signal) =>
      api.get('/merchant/products/{id}/skus/{skuId}/stock', {
        params: { path: { id: productId, skuId }, query: { pageSize: 100 } },
        signal,
      }),
    [productId, skuId],
  );
  return (
    <Modal open onCancel={onClose} footer={null} width={760} title={t('stockConsole.history')}>
      {history.error ? <ErrorAlert error={history.error} onRetry={history.reload} /> : null}
      {history.data ? (
        <div style={{ marginBottom: 12 }}>
          <StockFigures levels={history.data.stock} />
        </div>
      ) : null}
      <Table<StockMovement>
        size="small"
        rowKey="id"
        loading={history.loading}
        dataSource={history.data?.movements.items ?? []}
        pagination={false}
        data-testid="stock-movements"
        columns={[
          { title: t('stockConsole.time'), key: 'at', render: (_, m) => formatTime(m.at, i18n.language) },
          { title: t('stockConsole.kind'), key: 'kind', render: (_, m) => t(`stockConsole.kinds.${m.kind}`) },
          {
            title: t('stockConsole.change'),
            key: 'change',
            render: (_, m) => (
              <Typography.Text>
                {m.onHandDelta !== 0 ? `${t('stockConsole.onHand')} ${signed(m.onHandDelta)} ` : ''}
                {m.reservedDelta !== 0 ? `${t('stockConsole.reserved')} ${signed(m.reservedDelta)}` : ''}
              </Typography.Text>
            ),
          },
          {
            title: t('stockConsole.after'),
            key: 'after',
            render: (_, m) => `${m.onHand} / ${m.reserved}`,
          },
          { title: t('stockConsole.actor'), dataIndex: 'actor' },
          { title: t('stockConsole.reason'), dataIndex: 'reason' },
        ]}
      />
    </Modal>
  );
}
