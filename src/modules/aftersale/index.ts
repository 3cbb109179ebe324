export { aftersaleRoutes } from './routes.ts';
export {
  AFTERSALE_REASONS,
  type AftersaleDeps,
  type AftersaleReason,
  AftersaleService,
  type AftersaleStatus,
  type AftersaleView,
} from './service.ts';
