import { Button } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useSession, useSmsSignIn } from '../shared/session.tsx';
import { type GuestAnswersChoice, guestAnswersAtSignIn, KeepSizeAnswers } from './sizing/KeepSizeAnswers.tsx';
import { Field, Screen } from './ui.tsx';

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { account } = useSession();
  const s = useSmsSignIn('buyer');
  const next = params.get('next');
  const safeNext = next?.startsWith('/') && !next.startsWith('//') ? next : '/';
  const [sizeChoice, setSizeChoice] = useState<GuestAnswersChoice | null>(null);

  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    const acc = await s.signIn();
    if (!acc) return;
    // size answers given as a guest: kept, or the buyer chooses them or the saved profile
    const choice = acc.role === 'buyer' ? await guestAnswersAtSignIn().catch(() => null) : null;
    if (choice) setSizeChoice(choice);
    else navigate(safeNext, { replace: true });
  };

  return (
    <Screen title={t('common.signIn')} testId="sign-in-page">
      <form className="b-signin" onSubmit={submit}>
        <div className="b-signin-brand">
          <span className="b-logo b-logo-dark">{t('common.appName')}</span>
          <div className="b-signin-title">{t('auth.buyerTitle')}</div>
        </div>
        {account && account.role !== 'buyer' && (
          <div className="b-warn">{t('auth.wrongRole', { role: t(`roles.${account.role}`) })}</div>
        )}
        <Field
          label={t('auth.phone')}
          value={s.phone}
          onChange={s.setPhone}
          testId="phone-input"
          type="tel"
          inputMode="tel"
          maxLength={11}
          placeholder={t('auth.phonePlaceholder')}
          autoComplete="tel"
        />
        <Field
          label={t('auth.code')}
          value={s.code}
          onChange={s.setCode}
          testId="code-input"
          inputMode="numeric"
          maxLength={6}
          placeholder={t('auth.codePlaceholder')}
          autoComplete="one-time-code"
          extra={
            <Button
              size="small"
              color="primary"
              fill="outline"
              disabled={!s.phoneValid || s.countdown > 0}
              loading={s.sending}
              onClick={() => void s.sendCode()}
              data-testid="get-code"
              type="button"
            >
              {s.countdown > 0 ? t('auth.resend', { s: s.countdown }) : t('auth.getCode')}
            </Button>
          }
        />
        {s.sandboxCode && (
          <div className="b-sandbox-note" data-testid="sandbox-code">
            {t('auth.sandboxCode', { code: s.sandboxCode })}
          </div>
        )}
        {s.error && (
          <div className="b-error-banner" data-testid="sign-in-error">
            {s.error}
          </div>
        )}
        <Button
          block
          color="primary"
          size="large"
          shape="rounded"
          type="submit"
          loading={s.signingIn}
          disabled={!s.phoneValid || !s.codeValid}
          data-testid="sign-in"
        >
          {t('auth.signIn')}
        </Button>
        <p className="b-muted-sm b-center">{t('auth.agree')}</p>
        <p className="b-muted-sm b-center">{t('auth.demoHint', { phones: '13600000001 … 13600000020' })}</p>
      </form>
      <KeepSizeAnswers choice={sizeChoice} onDone={() => navigate(safeNext, { replace: true })} />
    </Screen>
  );
}
