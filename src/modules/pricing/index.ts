export { type FinalPrice, finalPrice, type PriceLine } from './final-price.ts';
export { type PriceChange, type PricePoint, priceAt, priceHistory, recordPrices } from './price-history.ts';
