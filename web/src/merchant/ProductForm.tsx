import { Alert, Button, Card, Col, Form, Row, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { Category, Product, SizeChart } from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { BasicsCard } from './product-form/BasicsCard.tsx';
import { categoryPath, isApparelCategory } from './product-form/categories.ts';
import { ImagesCard } from './product-form/ImagesCard.tsx';
import { SizeChartCard } from './product-form/SizeChartCard.tsx';
import { SkuMatrixCard } from './product-form/SkuMatrixCard.tsx';
import { type BasicFields, useProductFormData, useSaveProduct } from './product-form/useProductForm.ts';
import { useSkuMatrix } from './product-form/useSkuMatrix.ts';

/** The merchant's page for a new product (`/merchant/products/new`) or one to edit (`…/:id/edit`). */
export function ProductFormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { categories, product, ready } = useProductFormData(id);
  return (
    <div data-testid="product-form-page">
      <h1 className="c-page-title">{id ? t('merchant.editProduct') : t('merchant.newProduct')}</h1>
      {categories.error ? <ErrorAlert error={categories.error} onRetry={categories.reload} /> : null}
      {product.error ? <ErrorAlert error={product.error} onRetry={product.reload} /> : null}
      {ready ? (
        <ProductForm categories={categories.data?.categories ?? []} product={product.data ?? null} />
      ) : categories.error || product.error ? null : (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      )}
    </div>
  );
}

/** The form: basics and pictures side by side, then the SKU matrix and, for a garment, its size chart. */
function ProductForm({ categories, product }: { categories: Category[]; product: Product | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<BasicFields>();
  const editing = product !== null;
  const initialCategory = product ? categoryPath(categories, product.categoryId) : [];

  const [images, setImages] = useState<string[]>(product?.images ?? []);
  const matrix = useSkuMatrix(product);
  const [chart, setChart] = useState<SizeChart>(product?.sizeChart ?? {});
  const category = Form.useWatch('category', form) ?? initialCategory;
  const leafId = category[category.length - 1];
  const isApparel = isApparelCategory(categories, leafId);
  const { save, busy, error } = useSaveProduct({ product, leafId, isApparel, images, matrix, chart });

  useEffect(() => {
    if (!product) form.setFieldsValue({ category: [] });
  }, [product, form]);

  return (
    <Form<BasicFields>
      form={form}
      layout="vertical"
      onFinish={save}
      initialValues={{
        title: product?.title ?? '',
        description: product?.description ?? '',
        category: initialCategory,
        brand: product?.brand ?? '',
        fitType: product?.fitType ?? undefined,
      }}
      data-testid="product-form"
    >
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <BasicsCard categories={categories} editing={editing} />
        </Col>
        <Col xs={24} xl={10}>
          <ImagesCard images={images} onChange={setImages} />
        </Col>
      </Row>

      <SkuMatrixCard matrix={matrix} productId={product?.id ?? ''} />

      {isApparel && <SizeChartCard chart={chart} onChange={setChart} sizes={matrix.rowSizes} />}

      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={<span data-testid="product-form-error">{error}</span>}
        />
      )}
      <Space>
        <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="product-submit">
          {t('merchant.submit')}
        </Button>
        <Button size="large" onClick={() => navigate('/merchant/products')}>
          {t('common.cancel')}
        </Button>
      </Space>
    </Form>
  );
}
