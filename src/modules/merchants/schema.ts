export type BusinessType = 'apparel' | 'food' | 'general';
