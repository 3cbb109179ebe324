import type { Generated, Kysely } from 'kysely';

/** The table the address book's migration creates; no other module queries it. */
export interface AddressesTables {
  buyer_addresses: {
    id: string;
    account_id: string;
    name: string;
    phone: string;
    province: string;
    city: string;
    district: string;
    detail: string;
    is_default: boolean;
    /** Generated always as identity: the order addresses were saved in. */
    saved_seq: Generated<number>;
    created_at: Date;
    updated_at: Date;
  };
}

/** The database as the address book sees it: its own table only. */
export type AddressesDb = Kysely<AddressesTables>;
