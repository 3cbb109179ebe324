import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { type Account, ApiError, api, errorMessage, type Role } from '../api.ts';
import { useCountdown } from './hooks.ts';

interface SessionValue {
  account: Account | null;
  loading: boolean;
  refresh: () => Promise<Account | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue>({
  account: null,
  loading: true,
  refresh: async () => null,
  signOut: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const { account } = await api.get('/me');
      setAccount(account);
      return account;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status === 401 || e.status === 403) setAccount(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/sign-out');
    } finally {
      setAccount(null);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <SessionContext.Provider value={{ account, loading, refresh, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export const useSession = () => useContext(SessionContext);

export const PHONE_RE = /^1\d{10}$/;

/** Phone + SMS code sign-in for one role; the sandbox code is shown and filled in. */
export function useSmsSignIn(role: Role) {
  const { refresh } = useSession();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sandboxCode, setSandboxCode] = useState<string>();
  const [sending, setSending] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const [error, setError] = useState<string>();
  const [countdown, startCountdown] = useCountdown();

  const sendCode = async () => {
    setError(undefined);
    setSending(true);
    try {
      const res = await api.post('/auth/sms-code', { body: { phone: phone.trim() } });
      startCountdown(60);
      if (res.sandboxCode) {
        setSandboxCode(res.sandboxCode);
        setCode(res.sandboxCode);
      }
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setSending(false);
    }
  };

  const signIn = async (): Promise<Account | null> => {
    setError(undefined);
    setSigningIn(true);
    try {
      await api.post('/auth/sign-in', { body: { phone: phone.trim(), code: code.trim(), role } });
      return await refresh();
    } catch (e) {
      setError(errorMessage(e));
      return null;
    } finally {
      setSigningIn(false);
    }
  };

  return {
    phone,
    setPhone,
    code,
    setCode,
    sandboxCode,
    sending,
    signingIn,
    error,
    countdown,
    sendCode,
    signIn,
    phoneValid: PHONE_RE.test(phone.trim()),
    codeValid: /^\d{6}$/.test(code.trim()),
  };
}
