import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { keysetQuery } from '../../platform/keyset.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import { singleLineText } from '../../platform/text.ts';
import {
  categoryTreeNodeSchema,
  opsProductPageSchema,
  productAnswerSchema,
  productPageSchema,
  skuStockSchema,
  stockLevelsSchema,
  uploadedImageSchema,
} from './api-schema.ts';
import { MAX_UPLOAD_BYTES } from './media.ts';
import type { CatalogService } from './service.ts';
import {
  addSkusSchema,
  categoryIdSchema,
  productInputSchema,
  productPatchSchema,
  skuPatchSchema,
  stockChangeSchema,
} from './validation.ts';

const tags = ['catalog'];
// A 2 MB image is about 2.8 MB as base64 in JSON; the exact size is checked after decoding (413).
const UPLOAD_BODY_LIMIT = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;
const statusQuery = z.enum(['on_sale', 'off_sale']).optional();
const skuParams = z.object({ id: z.uuid(), skuId: z.uuid() });

export function catalogRoutes(catalog: CatalogService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/categories',
      {
        schema: {
          tags,
          operationId: 'listCategories',
          summary: 'The two-level category tree',
          response: {
            200: z.object({ categories: z.array(categoryTreeNodeSchema) }).describe('The category tree'),
          },
        },
      },
      async () => ({
        categories: await catalog.categories(),
      }),
    );

    app.get(
      '/products',
      {
        schema: {
          tags,
          operationId: 'listProducts',
          summary:
            'Products on sale: home feed, category (a root includes its leaves), store, keyword search',
          querystring: pageQuery.extend({
            categoryId: categoryIdSchema.optional(),
            storeId: z.uuid().optional(),
            q: singleLineText({ min: 1, max: 50 }).optional(),
            sort: z.enum(['new', 'sales', 'price_asc', 'price_desc']).default('new'),
          }),
          response: { 200: productPageSchema.describe('A page of products on sale') },
        },
      },
      async (req) => {
        const { categoryId, storeId, q, sort, page, pageSize } = req.query;
        return catalog.listForSale({ categoryId, storeId, q }, sort, page, pageSize);
      },
    );

    app.get(
      '/products/:id',
      {
        schema: {
          tags,
          operationId: 'getProduct',
          summary: 'Product page: SKUs with their final price (到手价)',
          params: idParam,
          response: { 200: productAnswerSchema.describe('The product') },
        },
      },
      async (req) => ({
        product: await catalog.productDetail(
          req.params.id,
          req.actor?.role === 'buyer' ? req.actor.accountId : null,
        ),
      }),
    );

    app.get(
      '/merchant/products',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listMerchantProducts',
          summary: "The merchant's own products",
          querystring: pageQuery.extend({ status: statusQuery }),
          response: { 200: productPageSchema.describe("A page of the merchant's products") },
        },
      },
      async (req) =>
        catalog.merchantProducts(routeStore(req), req.query.status, req.query.page, req.query.pageSize),
    );

    app.get(
      '/merchant/products/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMerchantProduct',
          summary: 'One of the merchant’s products',
          params: idParam,
          response: { 200: productAnswerSchema.describe("The product, with each SKU's inventory") },
        },
      },
      async (req) => ({ product: await catalog.merchantProduct(routeStore(req), req.params.id) }),
    );

    app.post(
      '/merchant/products',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'createProduct',
          summary: 'Create a product with SKUs (size × colour), price and stock per SKU, size chart',
          body: productInputSchema,
          response: { 201: productAnswerSchema.describe("The product created, with each SKU's inventory") },
        },
      },
      async (req, reply) => {
        const product = await catalog.createProduct(routeStore(req), req.body);
        return reply.status(201).send({ product });
      },
    );

    app.patch(
      '/merchant/products/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'updateProduct',
          summary: 'Edit a product (title, description, images, status, brand, size chart, fit type)',
          params: idParam,
          body: productPatchSchema,
          response: { 200: productAnswerSchema.describe('The product as edited') },
        },
      },
      async (req) => ({
        product: await catalog.updateProduct(routeStore(req), req.params.id, req.body),
      }),
    );

    app.patch(
      '/merchant/products/:id/skus/:skuId',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'updateSkuPrice',
          summary: 'Set a SKU’s price (recorded in price history); stock changes go through …/stock',
          params: skuParams,
          body: skuPatchSchema,
          response: { 200: productAnswerSchema.describe("The product with the SKU's new price") },
        },
      },
      async (req) => ({
        product: await catalog.updateSku(routeStore(req), req.params.id, req.params.skuId, req.body),
      }),
    );

    app.post(
      '/merchant/products/:id/skus',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'addSkus',
          summary:
            'Add SKUs (size × colour, price, stock) to a product; a size × colour it already sells is a 409',
          params: idParam,
          body: addSkusSchema,
          response: { 201: productAnswerSchema.describe('The product with its new SKUs') },
        },
      },
      async (req, reply) => {
        const product = await catalog.addSkus(routeStore(req), req.params.id, req.body);
        return reply.status(201).send({ product });
      },
    );

    app.get(
      '/merchant/products/:id/skus/:skuId/stock',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getSkuStock',
          summary: 'A SKU’s on hand, reserved and sellable stock, and its stock movements (newest first)',
          params: skuParams,
          querystring: pageQuery,
          response: { 200: skuStockSchema.describe("The SKU's stock and a page of its movements") },
        },
      },
      async (req) =>
        catalog.skuStock(
          routeStore(req),
          req.params.id,
          req.params.skuId,
          req.query.page,
          req.query.pageSize,
        ),
    );

    app.patch(
      '/merchant/products/:id/skus/:skuId/stock',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'changeSkuStock',
          summary:
            'Change on-hand stock: {adjust: +10, reason} or {set: 60, expectedVersion} (409 stale_stock when stale); ' +
            'an optional Idempotency-Key applies it once',
          params: skuParams,
          headers: idempotencyHeaders.partial(),
          body: stockChangeSchema,
          response: {
            200: z
              .object({ stock: stockLevelsSchema })
              .describe("The SKU's stock after the change (or as it was, for a replayed Idempotency-Key)"),
          },
        },
      },
      async (req) =>
        catalog.changeSkuStock(
          routeStore(req),
          req.params.id,
          req.params.skuId,
          req.body,
          req.headers['idempotency-key'],
        ),
    );

    app.post(
      '/merchant/uploads',
      {
        config: signedIn('merchant'),
        bodyLimit: UPLOAD_BODY_LIMIT,
        schema: {
          tags,
          operationId: 'uploadImage',
          summary: 'Upload a product image: JSON {dataUrl} of a PNG/JPEG/WebP ≤ 2 MB → {url}',
          body: z.object({ dataUrl: z.string().max(UPLOAD_BODY_LIMIT) }).strict(),
          response: { 201: uploadedImageSchema.describe('Where the image is served') },
        },
      },
      async (req, reply) => {
        const saved = await catalog.uploadImage(routeStore(req), req.body.dataUrl);
        return reply.status(201).send(saved);
      },
    );

    app.get(
      '/ops/products',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listOpsProducts',
          summary: 'All products with their store (operators)',
          querystring: keysetQuery.extend({ status: statusQuery }),
          response: { 200: opsProductPageSchema.describe('A page of all products') },
        },
      },
      async (req) => catalog.opsProducts(routeActor(req), req.query.status, req.query),
    );
  };
}
