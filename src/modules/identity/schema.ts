import type { Role } from '../../platform/auth.ts';

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
