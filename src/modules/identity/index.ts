export { type AccountByPhone, accountsWithPhones } from './account-lookup.ts';
export { maskPhone, phoneSchema } from './phone.ts';
export { identityRoutes } from './routes.ts';
export { IdentityService } from './service.ts';
