export { type FinalPrice, finalPrice, lineTotal, type PriceLine } from './final-price.ts';
export { type PriceChange, type PricePoint, priceAt, priceHistory, recordPrices } from './price-history.ts';
