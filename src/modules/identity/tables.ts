import type { Kysely } from 'kysely';
import type { Role } from '../../platform/auth.ts';

/** The tables identity's migrations create; no other module queries them. */
export interface IdentityTables {
  accounts: { id: string; phone: string; role: Role; nickname: string; created_at: Date };
  sms_codes: {
    id: string;
    phone: string;
    code_hash: string;
    attempts: number;
    created_at: Date;
    expires_at: Date;
    used_at: Date | null;
  };
  sessions: { token_hash: string; account_id: string; created_at: Date; expires_at: Date };
}

/** The database as identity sees it: its own tables only. */
export type IdentityDb = Kysely<IdentityTables>;
