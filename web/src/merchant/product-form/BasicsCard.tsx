import { Card, Cascader, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../api.ts';
import { type CascaderOption, categoryOptions } from './categories.ts';

/** Title, category (fixed once the product exists), brand and description. */
export function BasicsCard({ categories, editing }: { categories: Category[]; editing: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      title={t('consoleReview.productDetails')}
      style={{ marginBottom: 16 }}
      data-testid="product-details-card"
    >
      <Form.Item name="title" label={t('merchant.productTitle')} rules={[{ required: true, max: 120 }]}>
        <Input maxLength={120} showCount data-testid="product-title" />
      </Form.Item>
      <Form.Item
        name="category"
        label={t('merchant.category')}
        rules={[{ required: true, type: 'array', len: 2, message: t('merchant.categoryPlaceholder') }]}
      >
        <CategoryCascader
          options={categoryOptions(categories, i18n.language)}
          disabled={editing}
          placeholder={t('merchant.categoryPlaceholder')}
        />
      </Form.Item>
      <Form.Item name="brand" label={t('merchant.brand')}>
        <Input maxLength={40} data-testid="product-brand" />
      </Form.Item>
      <Form.Item name="description" label={t('merchant.productDesc')}>
        <Input.TextArea rows={4} maxLength={5000} data-testid="product-description" />
      </Form.Item>
    </Card>
  );
}

function CategoryCascader({
  value,
  onChange,
  options,
  disabled,
  placeholder,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  options: CascaderOption[];
  disabled?: boolean;
  placeholder?: string;
}) {
  return (
    <div data-testid="product-category">
      <Cascader
        value={value}
        onChange={(v) => onChange?.((v ?? []) as string[])}
        options={options}
        disabled={disabled}
        placeholder={placeholder}
        showSearch
        style={{ width: '100%' }}
        optionRender={(o) => <span data-testid={`category-option-${o.value}`}>{o.label}</span>}
      />
    </div>
  );
}
