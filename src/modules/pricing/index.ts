export { type FinalPrice, finalPrice, lineTotal, type PriceLine } from './final-price.ts';
