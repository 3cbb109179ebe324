import { Card, Form, InputNumber, Radio, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SizeChart } from '../../api.ts';
import { CHART_ZONES } from '../../shared/size-chart.ts';

/** A garment's fit type and its measurements per size and body zone. */
export function SizeChartCard({
  chart,
  onChange,
  sizes,
}: {
  chart: SizeChart;
  onChange: (update: (chart: SizeChart) => SizeChart) => void;
  /** The sizes the product sells, in the SKU matrix's order. */
  sizes: string[];
}) {
  const { t } = useTranslation();
  const chartSizes = sizes.filter(Boolean);
  const setChartCell = (size: string, zone: string, v: number | null) =>
    onChange((c) => {
      const row = { ...(c[size] ?? {}) };
      if (v === null || v === undefined) delete row[zone];
      else row[zone] = v;
      return { ...c, [size]: row };
    });

  return (
    <Card title={t('merchant.sizeChart')} style={{ marginBottom: 16 }} data-testid="size-chart-editor">
      <Form.Item name="fitType" label={t('merchant.fitType')}>
        <Radio.Group data-testid="product-fit-type">
          {(['slim', 'regular', 'loose'] as const).map((f) => (
            <Radio.Button key={f} value={f}>
              <span data-testid={`fit-${f}`}>{t(`buyer.fitTypes.${f}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {chartSizes.length === 0 ? (
        <Typography.Text type="secondary">{t('merchant.sizesPlaceholder')}</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey={(r) => r}
          dataSource={chartSizes}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('buyer.size'), key: 'size', render: (_, size) => <b>{size}</b> },
            ...CHART_ZONES.map((zone) => ({
              title: t(`buyer.zones.${zone}`),
              key: zone,
              render: (_: unknown, size: string) => (
                <InputNumber
                  min={1}
                  max={300}
                  precision={1}
                  value={chart[size]?.[zone] ?? null}
                  onChange={(v) => setChartCell(size, zone, v)}
                  data-testid={`size-chart-${size}-${zone}`}
                  style={{ width: 96 }}
                />
              ),
            })),
          ]}
        />
      )}
    </Card>
  );
}
