import { defineModule } from '../../platform/module.ts';
import { addressRoutes } from './routes.ts';
import { AddressBook } from './service.ts';

export { type Address, addressSchema } from './address.ts';
export { type AddressFields, MAX_ADDRESSES, type SavedAddress } from './service.ts';
export { AddressBook, addressRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    addresses: AddressBook;
  }
}

/** Buyers' saved delivery addresses. */
export const addressesModule = defineModule({
  name: 'addresses',
  build: ({ db, clock }) => ({ addresses: new AddressBook({ db, clock }) }),
  routes: async ({ addresses }, { api }) => {
    await api.register(addressRoutes(addresses));
  },
});
