import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { cappedCount, type KeysetQuery, splitPage } from '../../platform/keyset.ts';
import type { OpsMerchantPage, PublicStore, StoreProfile, StoreStatus } from './api-schema.ts';
import type { ExperienceInputSources } from './experience-inputs.ts';
import { type ExperienceScore, StoreExperienceScores } from './experience-service.ts';
import { type StoreCounter, storeOrderCounts } from './order-counts.ts';
import type { BusinessType } from './schema.ts';
import type { MerchantsDb, MerchantsTables } from './tables.ts';

export interface OpenStoreInput {
  name: string;
  description?: string;
  businessType: BusinessType;
  contactPhone?: string;
  logoUrl?: string;
}

export interface StoreProfilePatch {
  name?: string;
  description?: string;
  logoUrl?: string;
  contactPhone?: string;
}

export type { PublicStore, StoreProfile };

export interface MerchantsDeps {
  db: MerchantsDb;
  clock: Clock;
  /** Products per store (from the catalog module); `onSaleOnly` for what buyers can see. */
  productCounts: (storeIds: string[], onSaleOnly: boolean) => Promise<Map<string, number>>;
  /** Phone numbers of accounts (from the identity module): the store owners' on the ops list. */
  accountPhones: (accountIds: string[]) => Promise<Map<string, string>>;
  /**
   * The store experience score's input queries (orders, after-sale, reviews), fetched when first
   * needed: those modules are built after merchants.
   */
  experienceInputs?: () => Promise<ExperienceInputSources>;
  /** Tells identity an account's sessions changed (a store opened): cached sessions are dropped. */
  accountChanged?: (accountId: string) => Promise<void>;
}

type StoreRow = MerchantsTables['stores'];

function profileOf(row: StoreRow): StoreProfile {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    logoUrl: row.logo_url,
    contactPhone: row.contact_phone,
    businessType: row.business_type,
    openingFeeFen: row.opening_fee_fen,
    depositFen: row.deposit_fen,
    status: row.status,
    openedAt: row.opened_at,
  };
}

const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string }).code === '23505' &&
  String((err as { constraint?: string }).constraint ?? (err as Error).message).includes(constraint);

export class MerchantsService {
  private readonly db: MerchantsDb;
  private readonly orderCounts: StoreCounter;
  /** The store experience score (店铺体验分): computing, the store page, the console, the ops list. */
  readonly experience: StoreExperienceScores;
  constructor(private readonly deps: MerchantsDeps) {
    this.db = deps.db;
    this.orderCounts = storeOrderCounts(deps.db);
    this.experience = new StoreExperienceScores(deps);
  }

  /**
   * Each store's latest experience score (0–5, two decimals, with whether each dimension had enough
   * data), for the traffic engine and incentive rules; stores never scored are left out. One query.
   */
  experienceScores(storeIds: string[]): Promise<Map<string, ExperienceScore>> {
    return this.experience.latest(storeIds);
  }

  /** Computes today's experience scores for every open store now; `{ day, stores }` scored. */
  computeExperienceScores(): Promise<{ day: string; stores: number }> {
    return this.experience.compute();
  }

  /** How many stores there are (the ops overview). */
  async storeCount(): Promise<number> {
    const r = await this.db
      .selectFrom('stores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * 0-yuan store opening (新商0元开店): no opening fee and no deposit, recorded as 0 on the store.
   * A merchant account opens exactly one store; store names are unique.
   */
  async openStore(actor: Actor, input: OpenStoreInput): Promise<StoreProfile> {
    if (actor.role !== 'merchant') throw forbidden('Only a merchant account can open a store');
    if (actor.storeId) throw conflict('store_exists', 'This account already has a store');
    const row: StoreRow = {
      id: newId(),
      owner_account_id: actor.accountId,
      name: input.name,
      description: input.description ?? '',
      logo_url: input.logoUrl ?? '',
      contact_phone: input.contactPhone ?? actor.phone,
      business_type: input.businessType,
      opening_fee_fen: 0,
      deposit_fen: 0,
      status: 'open',
      opened_at: this.deps.clock.now(),
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('stores').values(row).execute();
        await trx
          .insertInto('store_staff')
          .values({ store_id: row.id, account_id: actor.accountId, staff_role: 'owner' })
          .execute();
      });
    } catch (err) {
      throw this.storeConflict(err);
    }
    // The owner's next request must see the store: sessions cached with no store are dropped.
    await this.deps.accountChanged?.(actor.accountId);
    return profileOf(row);
  }

  /** A store's profile by id, or null (the newbie village checks it is complete). */
  async storeProfile(storeId: string): Promise<StoreProfile | null> {
    const row = await this.db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst();
    return row ? profileOf(row) : null;
  }

  /**
   * Whether an account is the store owner's person: the owner's own account, or another role's account
   * on the same phone (one account per phone and role). Growth and social ignore a store's own purchases,
   * reviews and follows.
   */
  async isOwnersAccount(storeId: string, accountId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('stores')
      .select('owner_account_id')
      .where('id', '=', storeId)
      .executeTakeFirst();
    if (!row) return false;
    if (row.owner_account_id === accountId) return true;
    const phones = await this.deps.accountPhones([row.owner_account_id, accountId]);
    const ownerPhone = phones.get(row.owner_account_id);
    return ownerPhone !== undefined && ownerPhone === phones.get(accountId);
  }

  async myStore(actor: Actor): Promise<StoreProfile> {
    const storeId = this.ownStoreId(actor);
    const row = await this.db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst();
    if (!row) throw notFound('Store');
    return profileOf(row);
  }

  async updateMyStore(actor: Actor, patch: StoreProfilePatch): Promise<StoreProfile> {
    const storeId = this.ownStoreId(actor);
    const set: Partial<StoreRow> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.logoUrl !== undefined) set.logo_url = patch.logoUrl;
    if (patch.contactPhone !== undefined) set.contact_phone = patch.contactPhone;
    if (Object.keys(set).length === 0) return this.myStore(actor);
    let row: StoreRow | undefined;
    try {
      row = await this.db
        .updateTable('stores')
        .set(set)
        .where('id', '=', storeId)
        .returningAll()
        .executeTakeFirst();
    } catch (err) {
      throw this.storeConflict(err);
    }
    if (!row) throw notFound('Store');
    return profileOf(row);
  }

  /** The public store page; a suspended store is not found. */
  async publicStore(storeId: string): Promise<PublicStore> {
    const row = await this.db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst();
    if (row?.status !== 'open') throw notFound('Store');
    const counts = await this.deps.productCounts([row.id], true);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      logoUrl: row.logo_url,
      businessType: row.business_type,
      openedAt: row.opened_at,
      productCount: counts.get(row.id) ?? 0,
    };
  }

  /**
   * The ops console's merchant list, newest first, keyset-paged (platform/keyset.ts): four queries
   * whatever the page size or depth, and a count that stops at the cap.
   */
  async opsMerchants(actor: Actor, query: KeysetQuery): Promise<OpsMerchantPage> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const { cursor, pageSize } = query;
    const [count, fetched] = await Promise.all([
      cappedCount(this.db, sql`from stores`),
      this.db
        .selectFrom('stores')
        .select(['id', 'name', 'business_type', 'status', 'owner_account_id', 'opened_at'])
        .$if(cursor !== undefined, (q) =>
          q.where(
            sql<boolean>`(opened_at, id) < (select s.opened_at, s.id from stores s where s.id = ${cursor})`,
          ),
        )
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize + 1)
        .execute(),
    ]);
    const { rows, nextCursor } = splitPage(fetched, pageSize);
    const ids = rows.map((r) => r.id);
    const [products, orders, phones] = await Promise.all([
      this.deps.productCounts(ids, false),
      this.orderCounts(ids),
      this.deps.accountPhones(rows.map((r) => r.owner_account_id)),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        businessType: r.business_type,
        status: r.status,
        ownerPhone: phones.get(r.owner_account_id) ?? '',
        openedAt: r.opened_at,
        productCount: products.get(r.id) ?? 0,
        orderCount: orders.get(r.id) ?? 0,
      })),
      nextCursor,
      ...count,
      pageSize,
    };
  }

  /**
   * An operator suspends a store (its products leave every listing and cannot be bought) or opens
   * it again. Catalog and checkout read the status through `storeIsOpen`, so it holds at once.
   */
  async setStoreStatus(actor: Actor, storeId: string, status: 'open' | 'suspended'): Promise<StoreStatus> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const row = await this.db
      .updateTable('stores')
      .set({ status })
      .where('id', '=', storeId)
      .returning(['id', 'name', 'status'])
      .executeTakeFirst();
    if (!row) throw notFound('Store');
    return row;
  }

  private ownStoreId(actor: Actor): string {
    if (actor.role !== 'merchant') throw forbidden('This needs a merchant account');
    if (!actor.storeId) throw forbidden('Open your store first');
    return actor.storeId;
  }

  private storeConflict(err: unknown): unknown {
    if (isUniqueViolation(err, 'stores_name'))
      return conflict('store_name_taken', 'That store name is taken');
    if (isUniqueViolation(err, 'owner_account') || isUniqueViolation(err, 'store_staff')) {
      return conflict('store_exists', 'This account already has a store');
    }
    return err;
  }
}
