import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor, Role } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RetentionConfig } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { Notifications } from '../../platform/notifications.ts';
import { preparedStatement } from '../../platform/prepared.ts';
import { hitRateLimit, hitRateLimits } from '../../platform/rate-limit.ts';
import { deleteBatch, retentionCutoff } from '../../platform/retention.ts';
import type { Account, SmsCodeSent } from './api-schema.ts';
import { maskPhone } from './phone.ts';
import { LookupBatch } from './session-batch.ts';
import { SESSION_CHANGED, SessionCache } from './session-cache.ts';
import type { IdentityDb } from './tables.ts';

interface SessionRow {
  token_hash: string;
  id: string;
  role: Role;
  phone: string;
  expires_at: Date;
}

/**
 * Sessions and their accounts, by token hashes ($1), if not expired at $2: every signed-in request whose
 * session is not cached, the requests of one event-loop turn together (session-batch.ts).
 */
const sessionLookup = preparedStatement<SessionRow>(
  'identity.sessions',
  `select s.token_hash, a.id, a.role, a.phone, s.expires_at from sessions s join accounts a on a.id = s.account_id
   where s.token_hash = any($1::text[]) and s.expires_at > $2`,
);

const CODE_TTL_MS = 5 * 60_000;
const SESSION_TTL_MS = 30 * 24 * 3600_000;
const MAX_CODE_ATTEMPTS = 5;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface IdentityDeps {
  db: IdentityDb;
  clock: Clock;
  log: Logger;
  exposeSandboxSmsCode: boolean;
  /** Write sandbox codes to the log (development and tests only). */
  logSmsCodes?: boolean;
  /** The store an account works for, if any (from the merchants module, which owns store staff). */
  storeOfAccount: (accountId: string) => Promise<string | null>;
  /** Change notices between processes (platform/notifications.ts): drop cached sessions. */
  notifications?: Notifications;
  /** Milliseconds a resolved session is served from memory (SESSION_CACHE_MS); 0 (the default) disables. */
  sessionCacheMs?: number;
}

export class IdentityService {
  private readonly db: IdentityDb;
  private readonly sessions: SessionCache;
  private readonly sessionRows: LookupBatch<SessionRow>;
  private readonly notifications: Notifications;
  constructor(private readonly deps: IdentityDeps) {
    this.db = deps.db;
    this.notifications =
      deps.notifications ?? new Notifications({ db: deps.db, databaseUrl: undefined, log: deps.log });
    this.sessions = new SessionCache(deps.sessionCacheMs ?? 0, this.notifications);
    this.sessionRows = new LookupBatch(async (tokenHashes) => {
      const r = await sessionLookup.execute(this.db, [tokenHashes, this.deps.clock.now()]);
      return new Map(r.rows.map((row) => [row.token_hash, row]));
    });
  }

  /** Sends a sign-in code by (sandbox) SMS: printed to the server log. */
  async requestCode(phone: string, clientIp: string): Promise<SmsCodeSent> {
    const { clock } = this.deps;
    // A phone gets a code a minute at most, and 10 an hour from all addresses together. One address
    // gets 5 an hour for it: whoever used up theirs (and burned the codes with wrong guesses) cannot
    // lock the owner, who asks from elsewhere, out for longer than the minute's cool-down.
    await hitRateLimits(this.db, clock, [
      {
        bucket: `sms:phone:${phone}`,
        limit: 1,
        windowSeconds: 60,
        message: 'Wait a minute before asking for another code',
      },
      {
        bucket: `sms:phone-ip:${phone}:${clientIp}`,
        limit: 5,
        windowSeconds: 3600,
        message: 'Too many codes for this phone this hour',
      },
      {
        bucket: `sms:phone-hour:${phone}`,
        limit: 10,
        windowSeconds: 3600,
        message: 'Too many codes for this phone this hour',
      },
      {
        bucket: `sms:ip:${clientIp}`,
        limit: 30,
        windowSeconds: 3600,
        message: 'Too many codes from this address',
      },
    ]);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = clock.now();
    await this.db
      .insertInto('sms_codes')
      .values({
        id: newId(),
        phone,
        code_hash: sha256(`${phone}:${code}`),
        attempts: 0,
        created_at: now,
        expires_at: new Date(now.getTime() + CODE_TTL_MS),
        used_at: null,
      })
      .execute();
    // Codes reach the log only in development; phones never in full.
    const masked = maskPhone(phone);
    if (this.deps.logSmsCodes)
      this.deps.log.info({ phone: masked, code }, `[sandbox SMS] code for ${masked}: ${code}`);
    else this.deps.log.info({ phone: masked }, `[sandbox SMS] code sent to ${masked}`);
    return this.deps.exposeSandboxSmsCode ? { sent: true, sandboxCode: code } : { sent: true };
  }

  /**
   * Signs in with a code as the role asked for; creates that role's account for the phone on its first
   * sign-in. An operator account is never created here (operators are provisioned).
   */
  async signIn(
    phone: string,
    code: string,
    wantedRole: Exclude<Role, 'operator'> | 'operator',
    clientIp: string,
  ): Promise<{ token: string; actor: Actor }> {
    const { clock } = this.deps;
    await hitRateLimit(this.db, clock, `signin:ip:${clientIp}`, 60, 600, 'Too many sign-in attempts');
    const now = clock.now();
    const latest = await this.db
      .selectFrom('sms_codes')
      .select('id')
      .where('phone', '=', phone)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    // Every guess takes one attempt in a conditional update before it is checked, so parallel
    // guesses cannot get more than MAX_CODE_ATTEMPTS looks at one code.
    const claimed = latest
      ? await this.db
          .updateTable('sms_codes')
          .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
          .where('id', '=', latest.id)
          .where('attempts', '<', MAX_CODE_ATTEMPTS)
          .returning(['id', 'code_hash'])
          .executeTakeFirst()
      : undefined;
    if (!claimed) throw new AppError(400, 'code_expired', 'No valid code for this phone; ask for a new one');
    const given = Buffer.from(sha256(`${phone}:${code}`));
    if (!timingSafeEqual(given, Buffer.from(claimed.code_hash))) {
      throw new AppError(400, 'wrong_code', 'The code is not right');
    }
    const used = await this.db
      .updateTable('sms_codes')
      .set({ used_at: now })
      .where('id', '=', claimed.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows !== 1n) throw new AppError(400, 'code_used', 'This code was already used');

    // One account per (phone, role): a phone signs in as a buyer and as a merchant with two accounts.
    const accountOf = () =>
      this.db
        .selectFrom('accounts')
        .selectAll()
        .where('phone', '=', phone)
        .where('role', '=', wantedRole)
        .executeTakeFirst();
    let account = await accountOf();
    if (!account) {
      if (wantedRole === 'operator')
        throw new AppError(
          403,
          'operator_not_provisioned',
          'Operator accounts are provisioned by the platform',
        );
      await this.db
        .insertInto('accounts')
        .values({ id: newId(), phone, role: wantedRole, nickname: `用户${phone.slice(-4)}`, created_at: now })
        .onConflict((oc) => oc.columns(['phone', 'role']).doNothing())
        .execute();
      account = await accountOf();
      if (!account) throw new Error('account just created was not found');
    }
    const token = await this.openSession(account.id);
    const actor = await this.resolveSession(token);
    if (!actor) throw new Error('session just created was not found');
    return { token, actor };
  }

  /** A new session for an account; returns the token the cookie carries (only its hash is stored). */
  async openSession(accountId: string): Promise<string> {
    const now = this.deps.clock.now();
    const token = newToken();
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: sha256(token),
        account_id: accountId,
        created_at: now,
        expires_at: new Date(now.getTime() + SESSION_TTL_MS),
      })
      .execute();
    return token;
  }

  async signOut(token: string): Promise<void> {
    const tokenHash = sha256(token);
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    // Right after the delete: this process forgets it at once, the others when they hear it.
    await this.notifications.notify(this.db, SESSION_CHANGED, `t:${tokenHash}`);
  }

  /** How many resolved sessions this process holds in memory (tests, metrics). */
  get cachedSessionCount(): number {
    return this.sessions.size;
  }

  /**
   * The account's sessions changed (its store opened, its role or store changed): every process
   * resolves them from the database again. `db` may be the transaction of the change.
   */
  accountChanged = async (accountId: string, db: IdentityDb = this.db): Promise<void> => {
    try {
      await this.notifications.notify(db, SESSION_CHANGED, `a:${accountId}`);
    } catch (err) {
      // The change itself is committed: the caller's request succeeds, and other processes' cached
      // entries run out within SESSION_CACHE_MS (this process's were dropped before the notice).
      if (db !== this.db) throw err; // inside the caller's transaction, which is aborted now
      this.deps.log.warn({ err, accountId }, 'session change notice not sent');
    }
  };

  /**
   * Retention: one batch each of sessions expired more than `expiredSessionDays` ago and of SMS
   * codes older than `smsCodeDays` (a code lives minutes). Returns how many rows went.
   */
  async pruneExpired(
    retention: Pick<RetentionConfig, 'expiredSessionDays' | 'smsCodeDays' | 'batchSize'>,
  ): Promise<number> {
    const { db, clock } = this.deps;
    const sessionCutoff = retentionCutoff(clock, retention.expiredSessionDays);
    const codeCutoff = retentionCutoff(clock, retention.smsCodeDays);
    const sessions = await deleteBatch(
      db,
      'sessions',
      ['token_hash'],
      sql`expires_at < ${sessionCutoff}`,
      retention.batchSize,
    );
    const codes = await deleteBatch(
      db,
      'sms_codes',
      ['id'],
      sql`created_at < ${codeCutoff}`,
      retention.batchSize,
    );
    return sessions + codes;
  }

  /**
   * The session's account and, for a merchant, its store. Only merchants work for a store (opening
   * one needs a merchant account), so buyers and operators cost one query, shared with the other
   * lookups of the same event-loop turn.
   */
  async resolveSession(token: string): Promise<Actor | null> {
    const tokenHash = sha256(token);
    const now = this.deps.clock.now();
    const cached = this.sessions.get(tokenHash, now);
    if (cached) return cached;
    const generation = this.sessions.mark();
    const row = await this.sessionRows.get(tokenHash);
    if (!row) return null;
    const storeId = row.role === 'merchant' ? await this.deps.storeOfAccount(row.id) : null;
    const actor: Actor = { accountId: row.id, role: row.role, phone: row.phone, storeId };
    this.sessions.put(tokenHash, actor, row.expires_at, generation);
    return actor;
  }

  /** Phone numbers of accounts, one query for any number of ids (for the ops store list). */
  accountPhones = async (accountIds: string[]): Promise<Map<string, string>> => {
    const ids = [...new Set(accountIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('accounts')
      .select(['id', 'phone'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.phone]));
  };

  async profile(accountId: string) {
    return this.db
      .selectFrom('accounts')
      .select(['id', 'phone', 'role', 'nickname', 'created_at'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
  }

  /** The caller's account as the app shows it (sign-in and `GET /me`). */
  async account(actor: Actor): Promise<Account> {
    const row = await this.profile(actor.accountId);
    return {
      id: row.id,
      phone: row.phone,
      role: row.role,
      nickname: row.nickname,
      storeId: actor.storeId,
      createdAt: row.created_at,
    };
  }

  /** How many buyer accounts there are (the ops overview). */
  async buyerCount(): Promise<number> {
    const r = await this.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'buyer')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Used by seeding and provisioning: an account without the SMS round trip. */
  async provision(phone: string, role: Role, nickname: string): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('accounts')
      .values({ id, phone, role, nickname, created_at: this.deps.clock.now() })
      .execute();
    return id;
  }
}
