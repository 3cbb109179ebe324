export { type Address, addressSchema } from './address.ts';
export { addressRoutes } from './routes.ts';
export { AddressBook, type AddressFields, MAX_ADDRESSES, type SavedAddress } from './service.ts';
