import { defineModule } from '../../platform/module.ts';
import { sizingRoutes } from './routes.ts';
import { SizingService } from './service.ts';

export { BODY_ZONES, type BodyZone, CORE_ZONES, type Sex } from './ansur-csv.ts';
export { type BodyEstimate, defaultBodyModel, estimateBody, estimateBodyUnchecked } from './body-estimate.ts';
export type { BodyModel, Estimate } from './body-model.ts';
export { seedSizingDemo } from './demo-seed.ts';
export {
  type CategoryGroup,
  categoryGroup,
  idealEase,
  STANDARD_LETTER_SIZES,
  STANDARD_NUMERIC_SIZES,
  TYPICAL_CHARTS,
  typicalChart,
} from './fit-charts.ts';
export { type FitItem, type FitRecord, parseFitLine, readFitItems, readFitRecords } from './fit-data.ts';
export { applyFeedback, type FeedbackEvent } from './fit-feedback.ts';
export {
  defaultCorrections,
  type FitCorrections,
  type FitOutcome,
  type Recommendation,
  type RecommendInput,
  recommendSize,
  type SizeOption,
} from './fit-model.ts';
export { type PreparedRecord, prepareRecords } from './fit-prepare.ts';
export { type FitTrainConfig, trainFitCorrections } from './fit-train.ts';
export {
  chartHasSizeFor,
  pickFromChart,
  pickUsualSize,
  trueFit,
  type UsualSize,
  type WorldGarment,
  type WorldWearer,
} from './fit-world.ts';
export { type FitLevel, fitLevel, type ZoneReason, zoneReason } from './fit-zone-reason.ts';
export {
  type BodyAnswers,
  bodyAnswersSchema,
  type FitType,
  fitTypeSchema,
  type GarmentZone,
  type ProductSizing,
  productSizingSchema,
  type SizeChart,
  sizeChartSchema,
} from './schemas.ts';
export { bustFromBraSize, sizeOrdinal } from './size-labels.ts';
export { SizingService, sizingRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    sizing: SizingService;
  }
}

/** The size assistant: body profiles, size recommendations, fit feedback, and what it learns. */
export const sizingModule = defineModule({
  name: 'sizing',
  build: ({ db, clock, config, use }) => ({
    sizing: new SizingService({
      db,
      clock,
      catalog: use('catalog'),
      orders: use('orders'),
      recommendLimit: config.sizeRecommendLimit,
    }),
  }),
  routes: async ({ sizing }, { api }) => {
    await api.register(sizingRoutes(sizing));
  },
  tasks: ({ sizing }) => [
    // Counts kept in each API process's memory: flushed by every process.
    { name: 'sizing.flush-tally', intervalMs: 60_000, perProcess: true, run: () => sizing.tally.flush() },
  ],
  subscribers: ({ sizing }) => sizing.subscribers(),
  // Anonymous recommendations counted since the last flush.
  stop: async ({ sizing }) => {
    await sizing.tally.flush();
  },
});
