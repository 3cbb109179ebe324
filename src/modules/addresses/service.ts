import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { lockFor } from '../../platform/locks.ts';
import type { Address } from './address.ts';
import type { SavedAddress } from './api-schema.ts';
import type { AddressesDb } from './tables.ts';

/** How many addresses one buyer may keep: enough for home, work and family, not a mailing list. */
export const MAX_ADDRESSES = 20;

export type AddressFields = Address;

export type { SavedAddress };

interface Row extends AddressFields {
  id: string;
  account_id: string;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

const view = (r: Row): SavedAddress => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  province: r.province,
  city: r.city,
  district: r.district,
  detail: r.detail,
  isDefault: r.is_default,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

function buyerOf(actor: Actor): string {
  if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
  return actor.accountId;
}

/**
 * A buyer's address book. The first address saved is the default; making another the default takes
 * the mark from the old one; deleting the default hands it to the most recently saved of the rest.
 */
export class AddressBook {
  constructor(private readonly deps: { db: AddressesDb; clock: Clock }) {}

  /** The default first, then the most recently saved. */
  async list(actor: Actor): Promise<SavedAddress[]> {
    const rows = await sql<Row>`
      select * from buyer_addresses where account_id = ${buyerOf(actor)}
      order by is_default desc, saved_seq desc`.execute(this.deps.db);
    return rows.rows.map(view);
  }

  async create(actor: Actor, input: AddressFields & { isDefault?: boolean }): Promise<SavedAddress> {
    const accountId = buyerOf(actor);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      // Serialise one buyer's writes so the cap and the single default hold under concurrent requests.
      await lockFor(trx, 'addresses', accountId);
      const count = await sql<{ n: number }>`
        select count(*)::int as n from buyer_addresses where account_id = ${accountId}`.execute(trx);
      const n = count.rows[0]?.n ?? 0;
      if (n >= MAX_ADDRESSES) {
        throw conflict('too_many_addresses', `At most ${MAX_ADDRESSES} saved addresses per account`, {
          max: MAX_ADDRESSES,
        });
      }
      const isDefault = n === 0 || input.isDefault === true;
      if (isDefault) await this.clearDefault(trx, accountId);
      const inserted = await sql<Row>`
        insert into buyer_addresses (id, account_id, name, phone, province, city, district, detail,
                                     is_default, created_at, updated_at)
        values (${newId()}, ${accountId}, ${input.name}, ${input.phone}, ${input.province}, ${input.city},
                ${input.district}, ${input.detail}, ${isDefault}, ${now}, ${now})
        returning *`.execute(trx);
      return view(inserted.rows[0] as Row);
    });
  }

  /** Changes the given fields; `isDefault: true` makes it the default (false is ignored: pick another). */
  async update(
    actor: Actor,
    id: string,
    patch: Partial<AddressFields> & { isDefault?: boolean },
  ): Promise<SavedAddress> {
    const accountId = buyerOf(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      await lockFor(trx, 'addresses', accountId);
      const current = await this.row(trx, accountId, id);
      const next = { ...current, ...stripUndefined(patch) };
      const makeDefault = patch.isDefault === true && !current.is_default;
      if (makeDefault) await this.clearDefault(trx, accountId);
      const updated = await sql<Row>`
        update buyer_addresses set name = ${next.name}, phone = ${next.phone}, province = ${next.province},
          city = ${next.city}, district = ${next.district}, detail = ${next.detail},
          is_default = ${current.is_default || makeDefault}, updated_at = ${this.deps.clock.now()}
        where id = ${id} returning *`.execute(trx);
      return view(updated.rows[0] as Row);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const accountId = buyerOf(actor);
    await this.deps.db.transaction().execute(async (trx) => {
      await lockFor(trx, 'addresses', accountId);
      const current = await this.row(trx, accountId, id);
      await sql`delete from buyer_addresses where id = ${id}`.execute(trx);
      if (current.is_default) {
        await sql`
          update buyer_addresses set is_default = true
          where id = (select id from buyer_addresses where account_id = ${accountId}
                      order by saved_seq desc limit 1)`.execute(trx);
      }
    });
  }

  private async clearDefault(db: AddressesDb, accountId: string): Promise<void> {
    await sql`
      update buyer_addresses set is_default = false
      where account_id = ${accountId} and is_default`.execute(db);
  }

  /** One of the buyer's own addresses; another buyer's is as unknown as a missing one. */
  private async row(db: AddressesDb, accountId: string, id: string): Promise<Row> {
    const r = await sql<Row>`
      select * from buyer_addresses where id = ${id} and account_id = ${accountId}`.execute(db);
    const row = r.rows[0];
    if (!row) throw notFound('Address');
    return row;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
