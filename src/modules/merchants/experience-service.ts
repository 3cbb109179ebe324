import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { badRequest, forbidden, notFound } from '../../platform/errors.ts';
import type { ExperienceInputSources } from './experience-inputs.ts';
import type {
  ExperienceInputsView,
  MyStoreExperience,
  OpsStoreExperiencePage,
  StoreExperience,
} from './experience-schema.ts';
import {
  type Dimension,
  type ExperienceInputs,
  emptyInputs,
  experienceScore,
  suggestions,
} from './experience-score.ts';
import type { MerchantsDb } from './tables.ts';

/** Whole Asia/Shanghai days of data each score reads: the days before the scored day (not the day itself). */
export const SCORE_WINDOW_DAYS = 30;
/** Computed days the console's history shows. */
export const HISTORY_DAYS = 30;

/** A store's latest score, for the traffic engine and incentive rules (0–5, two decimals). */
export interface ExperienceScore {
  storeId: string;
  /** The Asia/Shanghai business day it was computed for (YYYY-MM-DD). */
  day: string;
  overall: number;
  product: number;
  logistics: number;
  service: number;
  enoughData: Record<Dimension, boolean>;
  computedAt: Date;
}

const DAY_MS = 86_400_000;
// Asia/Shanghai is UTC+8 all year (no daylight saving): the platform's business day, as
// platform/business-day.ts defines it.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const businessDay = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);

interface ScoreRow {
  store_id: string;
  day: string;
  overall: number;
  product: number;
  logistics: number;
  service: number;
  enough_product: boolean;
  enough_logistics: boolean;
  enough_service: boolean;
  inputs: ExperienceInputs | string;
  window_from: Date;
  window_to: Date;
  computed_at: Date;
}

const SCORE_COLUMNS = sql`store_id, to_char(day, 'YYYY-MM-DD') as day, overall, product, logistics, service,
  enough_product, enough_logistics, enough_service, inputs, window_from, window_to, computed_at`;

const two = (h: number) => h / 100;
const scoresOf = (r: ScoreRow) => ({
  overall: two(r.overall),
  product: two(r.product),
  logistics: two(r.logistics),
  service: two(r.service),
});
const enoughOf = (r: ScoreRow): Record<Dimension, boolean> => ({
  product: r.enough_product,
  logistics: r.enough_logistics,
  service: r.enough_service,
});
const NO_DATA: Record<Dimension, boolean> = { product: false, logistics: false, service: false };
const inputsOf = (r: ScoreRow): ExperienceInputs =>
  typeof r.inputs === 'string' ? (JSON.parse(r.inputs) as ExperienceInputs) : r.inputs;

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : null);
const mean = (sum: number, n: number) => (n > 0 ? round1(sum / n) : null);

function inputsView(r: ScoreRow): ExperienceInputsView {
  const { product: p, logistics: l, service: s } = inputsOf(r);
  return {
    window: { from: r.window_from, to: r.window_to },
    product: {
      ...p,
      averageRating: p.reviews > 0 ? Math.round((100 * p.ratingSum) / p.reviews) / 100 : null,
      qualityRefundRate: ratio(p.qualityRefunds, Math.max(p.linesDelivered, p.qualityRefunds)),
    },
    logistics: {
      due: l.due,
      onTime: l.onTime,
      late: l.due - l.onTime,
      onTimeRate: ratio(l.onTime, l.due),
      delivered: l.delivered,
      meanDeliveryHours: mean(l.deliveryHours, l.delivered),
    },
    service: {
      requests: s.requests,
      handled: s.handled,
      meanHandlingHours: mean(s.handlingHours, s.handled),
      disputes: s.disputes,
      disputeRate: ratio(s.disputes, s.requests),
    },
  };
}

/** Cursor of the ops list (lowest first): the last item's overall and store id. */
const encodeCursor = (overall: number, storeId: string) =>
  Buffer.from(JSON.stringify([overall, storeId])).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isInteger(v[0]) &&
      v[0] >= 0 &&
      v[0] <= 500 &&
      typeof v[1] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1])
    ) {
      return [v[0] as number, v[1]];
    }
  } catch {
    // not a cursor this list gave out
  }
  throw badRequest('This cursor is not valid');
}

/**
 * The store experience score (店铺体验分), computed once per business day for every open store from
 * the 30 whole days before it (experience-score.ts has the formulas; the inputs come from orders,
 * after-sale and reviews). The window depends on the day only, never on the time of the run, so the
 * task at 00:05 and an operator's recompute at 20:00 give the same figures (events of the day itself
 * count from the next day's score). Stored per (store, day); recomputing a day replaces its rows with
 * the same window, so the task, an operator's recompute and several instances may all run it.
 */
export class StoreExperienceScores {
  private sources: Promise<ExperienceInputSources> | null = null;

  constructor(
    private readonly deps: {
      db: MerchantsDb;
      clock: Clock;
      experienceInputs?: () => Promise<ExperienceInputSources>;
    },
  ) {}

  private inputSources(): Promise<ExperienceInputSources> {
    const get = this.deps.experienceInputs;
    if (!get) throw new Error('the store experience score needs its input queries (experienceInputs)');
    this.sources ??= get();
    return this.sources;
  }

  /**
   * Scores every open store (or `storeIds` among them) for today's business day D from the window
   * [D − 30 days 00:00, D 00:00) in Asia/Shanghai: the 30 whole days before D, `from` inclusive and `to`
   * exclusive. Three input statements, one read of the stores and one upsert per 500 stores, whatever
   * the number of stores.
   */
  async compute(storeIds?: string[]): Promise<{ day: string; stores: number }> {
    const now = this.deps.clock.now();
    const day = businessDay(now);
    const to = dayStart(day);
    const from = new Date(to.getTime() - SCORE_WINDOW_DAYS * DAY_MS);
    const stores = storeIds ? sql`and id = any(${storeIds}::uuid[])` : sql``;
    const open = await sql<{ id: string }>`
      select id from stores where status = 'open' ${stores} order by id`.execute(this.deps.db);
    const ids = open.rows.map((r) => r.id);
    if (ids.length === 0) return { day, stores: 0 };
    const sources = await this.inputSources();
    const window = { from, to, ...(storeIds ? { storeIds: ids } : {}) };
    const [logistics, service, ratings] = await Promise.all([
      sources.logistics(window),
      sources.service(window),
      sources.ratings(window),
    ]);
    const rows = ids.map((id) => {
      const inputs = emptyInputs();
      const l = logistics.get(id);
      const s = service.get(id);
      const r = ratings.get(id);
      if (r) Object.assign(inputs.product, r);
      if (l) {
        inputs.logistics = {
          due: l.due,
          onTime: l.onTime,
          delivered: l.delivered,
          deliveryHours: l.deliveryHours,
        };
        inputs.product.linesDelivered = l.linesDelivered;
      }
      if (s) {
        inputs.service = {
          requests: s.requests,
          handled: s.handled,
          handlingHours: s.handlingHours,
          disputes: s.disputes,
        };
        inputs.product.qualityRefunds = s.qualityRefunds;
      }
      return { id, inputs, score: experienceScore(inputs) };
    });
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows.slice(i, i + 500).map(
        ({ id, inputs, score }) => sql`(${id}::uuid, ${day}::date, ${score.overall}, ${score.product},
          ${score.logistics}, ${score.service}, ${score.enoughData.product}, ${score.enoughData.logistics},
          ${score.enoughData.service}, ${JSON.stringify(inputs)}::jsonb, ${from}::timestamptz,
          ${to}::timestamptz, ${now}::timestamptz)`,
      );
      await sql`
        insert into store_experience_scores (store_id, day, overall, product, logistics, service,
          enough_product, enough_logistics, enough_service, inputs, window_from, window_to, computed_at)
        values ${sql.join(values)}
        on conflict (store_id, day) do update set overall = excluded.overall, product = excluded.product,
          logistics = excluded.logistics, service = excluded.service,
          enough_product = excluded.enough_product, enough_logistics = excluded.enough_logistics,
          enough_service = excluded.enough_service, inputs = excluded.inputs,
          window_from = excluded.window_from, window_to = excluded.window_to, computed_at = excluded.computed_at`.execute(
        this.deps.db,
      );
    }
    return { day, stores: rows.length };
  }

  /** The daily task: scores the open stores that have no score for today yet (none once the day is done). */
  async computeDue(): Promise<number> {
    const day = businessDay(this.deps.clock.now());
    const missing = await sql<{ id: string }>`
      select id from stores s
      where status = 'open'
        and not exists (select 1 from store_experience_scores e where e.store_id = s.id and e.day = ${day}::date)`.execute(
      this.deps.db,
    );
    if (missing.rows.length === 0) return 0;
    return (await this.compute(missing.rows.map((r) => r.id))).stores;
  }

  /** Each store's latest score (stores never scored are left out); one query. */
  async latest(storeIds: string[]): Promise<Map<string, ExperienceScore>> {
    const ids = [...new Set(storeIds)];
    if (ids.length === 0) return new Map();
    const r = await sql<ScoreRow>`
      select distinct on (store_id) ${SCORE_COLUMNS} from store_experience_scores
      where store_id = any(${ids}::uuid[])
      order by store_id, store_experience_scores.day desc`.execute(this.deps.db);
    return new Map(
      r.rows.map((row) => [
        row.store_id,
        {
          storeId: row.store_id,
          day: row.day,
          ...scoresOf(row),
          enoughData: enoughOf(row),
          computedAt: row.computed_at,
        },
      ]),
    );
  }

  /** The store page's score: the latest day of an open store (404 for an unknown or suspended store). */
  async forStore(storeId: string): Promise<StoreExperience> {
    const store = await sql<{ status: string }>`select status from stores where id = ${storeId}`.execute(
      this.deps.db,
    );
    if (store.rows[0]?.status !== 'open') throw notFound('Store');
    const row = (await this.recent(storeId, 1))[0];
    return this.experienceOf(storeId, row);
  }

  /** The merchant console: current score, the last 30 computed days, the raw figures, what to improve. */
  async forMerchant(actor: Actor): Promise<MyStoreExperience> {
    if (actor.role !== 'merchant') throw forbidden('This needs a merchant account');
    if (!actor.storeId) throw forbidden('Open your store first');
    const rows = await this.recent(actor.storeId, HISTORY_DAYS);
    const current = rows[0];
    return {
      current: this.experienceOf(actor.storeId, current),
      history: rows
        .slice()
        .reverse()
        .map((r) => ({ day: r.day, ...scoresOf(r) })),
      inputs: current ? inputsView(current) : null,
      suggestions: current
        ? suggestions(inputsOf(current), enoughOf(current))
        : suggestions(emptyInputs(), NO_DATA),
    };
  }

  /** Operators: every scored store with its latest score, lowest overall first. */
  async list(actor: Actor, q: { cursor?: string; limit: number }): Promise<OpsStoreExperiencePage> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const r = await sql<ScoreRow & { name: string; status: 'open' | 'suspended' }>`
      with latest as (
        select distinct on (store_id) ${SCORE_COLUMNS} from store_experience_scores
        order by store_id, store_experience_scores.day desc
      )
      select l.*, s.name, s.status from latest l join stores s on s.id = l.store_id
      ${after ? sql`where (l.overall, l.store_id) > (${after[0]}::int, ${after[1]}::uuid)` : sql``}
      order by l.overall, l.store_id
      limit ${q.limit + 1}`.execute(this.deps.db);
    const page = r.rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        storeId: row.store_id,
        storeName: row.name,
        storeStatus: row.status,
        day: row.day,
        score: scoresOf(row),
        enoughData: enoughOf(row),
      })),
      nextCursor: r.rows.length > q.limit && last ? encodeCursor(last.overall, last.store_id) : null,
    };
  }

  /** An operator recomputes today's scores for every open store now. */
  async recompute(actor: Actor): Promise<{ day: string; stores: number }> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    return this.compute();
  }

  private async recent(storeId: string, days: number): Promise<ScoreRow[]> {
    const r = await sql<ScoreRow>`
      select ${SCORE_COLUMNS} from store_experience_scores where store_id = ${storeId}
      order by store_experience_scores.day desc limit ${days}`.execute(this.deps.db);
    return r.rows;
  }

  private experienceOf(storeId: string, row: ScoreRow | undefined): StoreExperience {
    if (!row) return { storeId, day: null, score: null, enoughData: NO_DATA };
    return { storeId, day: row.day, score: scoresOf(row), enoughData: enoughOf(row) };
  }
}
