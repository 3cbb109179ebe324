import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { lockFor } from '../../platform/locks.ts';
import { singleLineText } from '../../platform/text.ts';
import type { ProfileView } from './api-schema.ts';
import { type BodyEstimate, estimateBody, estimateBodyUnchecked } from './body-estimate.ts';
import { implausibleAnswers } from './body-plausibility.ts';
import type { BodyForFit } from './fit-model.ts';
import { type BodyAnswers, bodyAnswersSchema, type GarmentZone } from './schemas.ts';
import type { SizeNote } from './size-notes.ts';

/** At most this many profiles per account (self, partner, children …). */
export const MAX_PROFILES = 10;
/** A measured zone is trusted to about this many cm (a tape measure in a buyer's hands). */
export const MEASURED_SD_CM = 1.5;

/** Real measurements a buyer may enter (cm), in ranges that cover children to very large adults. */
export const measurementsSchema = z
  .object({
    chest: z.number().min(40).max(200),
    waist: z.number().min(35).max(200),
    hip: z.number().min(40).max(220),
    shoulder: z.number().min(20).max(70),
    inseam: z.number().min(25).max(120),
  })
  .partial()
  .strict();
export type Measurements = z.infer<typeof measurementsSchema>;

export const profileLabelSchema = z.enum(['self', 'partner', 'child', 'other']);
export type ProfileLabel = z.infer<typeof profileLabelSchema>;
/** A profile's own name; null (or left out) for the default one, which the app shows by label and language. */
const nameSchema = singleLineText({ min: 1, max: 40 }).nullable();

/** The label names the app used to store as names, in its languages: stored as null (the default name). */
const DEFAULT_NAMES: Record<ProfileLabel, readonly string[]> = {
  self: ['我', 'Me'],
  partner: ['伴侣', 'Partner'],
  child: ['孩子', 'Child'],
  other: ['其他', 'Other'],
};

/** The name to store: null when none is given or it is only the label's default name. */
export function storedName(label: ProfileLabel, name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  return DEFAULT_NAMES[label].includes(name) ? null : name;
}

export const profileInputSchema = z
  .object({
    label: profileLabelSchema,
    name: nameSchema.optional(),
    answers: bodyAnswersSchema.strict(),
    measurements: measurementsSchema.optional(),
  })
  .strict();
export type ProfileInput = z.infer<typeof profileInputSchema>;

export const profilePatchSchema = z
  .object({
    label: profileLabelSchema.optional(),
    name: nameSchema.optional(),
    answers: bodyAnswersSchema.strict().optional(),
    /** Replaces the stored measurements; `{}` clears them. */
    measurements: measurementsSchema.optional(),
  })
  .strict();
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export type { ProfileView };

interface ProfileRow {
  id: string;
  account_id: string;
  label: ProfileView['label'];
  name: string | null;
  answers: BodyAnswers;
  /** Profiles saved before notes were codes hold their notes as English sentences. */
  estimate: Omit<BodyEstimate, 'notes'> & { notes: Array<SizeNote | string> };
  measurements: Measurements;
  created_at: Date;
  updated_at: Date;
  last_used_at: Date | null;
}

const MEASURABLE: GarmentZone[] = ['chest', 'waist', 'hip', 'shoulder', 'inseam'];

/** The body a recommendation uses: the estimate with measured zones put in its place. */
export function effectiveBody(
  estimate: Pick<BodyEstimate, 'sex' | 'estimates' | 'fitPreference'>,
  measurements: Measurements,
): BodyForFit {
  const estimates: BodyForFit['estimates'] = {};
  for (const z of MEASURABLE) {
    const m = measurements[z];
    const e = estimate.estimates[z];
    if (m !== undefined) estimates[z] = { cm: m, sdCm: MEASURED_SD_CM };
    else if (e) estimates[z] = { cm: e.cm, sdCm: e.sdCm };
  }
  return { sex: estimate.sex, estimates, fitPreference: estimate.fitPreference };
}

/**
 * The estimate's notes as codes. A profile saved while notes were English sentences gets them again
 * from its answers (the same estimate, worded as codes), so the app can show them in any language.
 */
function noteCodes(r: ProfileRow): SizeNote[] {
  const notes = r.estimate.notes;
  if (notes.every((n) => typeof n !== 'string')) return notes as SizeNote[];
  return estimateBodyUnchecked(r.answers).notes;
}

function view(r: ProfileRow): ProfileView {
  const body: ProfileView['body'] = {};
  for (const [zone, e] of Object.entries(r.estimate.estimates)) {
    const m = r.measurements[zone as keyof Measurements];
    body[zone] =
      m !== undefined
        ? { cm: m, sdCm: MEASURED_SD_CM, source: 'measured' }
        : { cm: e.cm, sdCm: e.sdCm, source: 'estimate' };
  }
  return {
    id: r.id,
    label: r.label,
    // rows written before names could be null, or by clients that still send the label's name
    name: storedName(r.label, r.name),
    answers: r.answers,
    bodyCheck: implausibleAnswers(r.answers),
    estimate: {
      sex: r.estimate.sex,
      fitPreference: r.estimate.fitPreference,
      outOfRange: r.estimate.outOfRange,
      notes: noteCodes(r),
      zones: r.estimate.estimates,
    },
    measurements: r.measurements,
    body,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  };
}

function assertBuyer(actor: Actor): void {
  if (actor.role !== 'buyer') throw forbidden('Size profiles belong to buyer accounts');
}

/** Size profiles: several per buyer; a profile of another account is "not found". */
export class SizeProfiles {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<ProfileView[]> {
    assertBuyer(actor);
    const rows = await sql<ProfileRow>`
      select * from size_profiles where account_id = ${actor.accountId}
      order by last_used_at desc nulls last, created_at, id`.execute(this.db);
    return rows.rows.map(view);
  }

  async get(actor: Actor, id: string): Promise<ProfileView> {
    assertBuyer(actor);
    return view(await this.row(this.db, actor.accountId, id));
  }

  async create(actor: Actor, input: ProfileInput): Promise<ProfileView> {
    assertBuyer(actor);
    const estimate = estimateBody(input.answers);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      // Serialise an account's creations so the cap holds under concurrent requests.
      await lockFor(trx, 'size-profiles', actor.accountId);
      const n = await sql<{ n: number }>`
        select count(*)::int as n from size_profiles where account_id = ${actor.accountId}`.execute(trx);
      if ((n.rows[0]?.n ?? 0) >= MAX_PROFILES) {
        throw conflict('too_many_profiles', `At most ${MAX_PROFILES} size profiles per account`, {
          max: MAX_PROFILES,
        });
      }
      const inserted = await sql<ProfileRow>`
        insert into size_profiles (id, account_id, label, name, answers, estimate, measurements, created_at, updated_at)
        values (${newId()}, ${actor.accountId}, ${input.label}, ${storedName(input.label, input.name)}, ${JSON.stringify(input.answers)}::jsonb,
                ${JSON.stringify(estimate)}::jsonb, ${JSON.stringify(input.measurements ?? {})}::jsonb, ${now}, ${now})
        returning *`.execute(trx);
      return view(inserted.rows[0] as ProfileRow);
    });
  }

  async update(actor: Actor, id: string, patch: ProfilePatch): Promise<ProfileView> {
    assertBuyer(actor);
    return this.db.transaction().execute(async (trx) => {
      const current = await this.row(trx, actor.accountId, id, true);
      const answers = patch.answers ?? current.answers;
      const label = patch.label ?? current.label;
      const name = storedName(label, patch.name === undefined ? current.name : patch.name);
      const estimate = patch.answers ? estimateBody(answers) : current.estimate;
      const updated = await sql<ProfileRow>`
        update size_profiles set label = ${label}, name = ${name},
          answers = ${JSON.stringify(answers)}::jsonb, estimate = ${JSON.stringify(estimate)}::jsonb,
          measurements = ${JSON.stringify(patch.measurements ?? current.measurements)}::jsonb,
          updated_at = ${this.clock.now()}
        where id = ${id} returning *`.execute(trx);
      return view(updated.rows[0] as ProfileRow);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertBuyer(actor);
    const deleted = await sql`
      delete from size_profiles where id = ${id} and account_id = ${actor.accountId} returning id`.execute(
      this.db,
    );
    if (deleted.rows.length === 0) throw notFound('Size profile');
  }

  /**
   * The body of one of the buyer's profiles, for a recommendation. Reads only: the caller marks the
   * profile used (`markUsed`) once the recommendation succeeded, so a refused request changes nothing.
   */
  async bodyFor(actor: Actor, id: string): Promise<{ body: BodyForFit; profile: ProfileView }> {
    assertBuyer(actor);
    const row = await this.row(this.db, actor.accountId, id);
    return { body: effectiveBody(row.estimate, row.measurements), profile: view(row) };
  }

  /** Marks one of the account's profiles as last used at `at`, inside the caller's transaction. */
  async markUsed(trx: Db, accountId: string, id: string, at: Date): Promise<void> {
    await sql`update size_profiles set last_used_at = ${at} where id = ${id} and account_id = ${accountId}`.execute(
      trx,
    );
  }

  /** The buyer's most recently used profile (else the first 'self' one), if any. */
  async defaultBody(db: Db, accountId: string): Promise<BodyForFit | undefined> {
    const r = await sql<ProfileRow>`
      select * from size_profiles where account_id = ${accountId}
      order by last_used_at desc nulls last, (label = 'self') desc, created_at limit 1`.execute(db);
    const row = r.rows[0];
    return row ? effectiveBody(row.estimate, row.measurements) : undefined;
  }

  private async row(db: Db, accountId: string, id: string, lock = false): Promise<ProfileRow> {
    const r = await sql<ProfileRow>`
      select * from size_profiles where id = ${id} and account_id = ${accountId}
      ${lock ? sql`for update` : sql``}`.execute(db);
    const row = r.rows[0];
    if (!row) throw notFound('Size profile');
    return row;
  }
}
