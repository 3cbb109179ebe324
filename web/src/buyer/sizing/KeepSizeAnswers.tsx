import { Button, Popup, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.ts';
import { type BodyAnswers, profileName, type SizeProfile, sizingApi } from '../../shared/sizing-api.ts';
import { clearAnswers, loadAnswers } from './answers-store.ts';

/** A guest's size answers meeting an account that already has the buyer's own profile. */
export interface GuestAnswersChoice {
  guest: BodyAnswers;
  saved: SizeProfile;
}

const sameBody = (a: BodyAnswers, b: BodyAnswers) =>
  a.heightCm === b.heightCm &&
  a.weightKg === b.weightKg &&
  a.age === b.age &&
  a.sex === b.sex &&
  (a.fitPreference ?? 'regular') === (b.fitPreference ?? 'regular');

/**
 * Right after sign-in: what becomes of the size answers given as a guest. Without a profile of
 * their own they become it; when they match it nothing is asked; when the account's own profile
 * says something else, the buyer is asked (`KeepSizeAnswers`) rather than one silently dropped.
 */
export async function guestAnswersAtSignIn(): Promise<GuestAnswersChoice | null> {
  const guest = loadAnswers();
  if (!guest) return null;
  const profiles = await sizingApi.profiles();
  const saved = profiles.find((p) => p.label === 'self');
  if (!saved) {
    await sizingApi.createProfile({ label: 'self', answers: guest });
    clearAnswers();
    return null;
  }
  if (sameBody(saved.answers, guest)) {
    clearAnswers();
    return null;
  }
  return { guest, saved };
}

const line = (a: BodyAnswers, t: (k: string, o?: Record<string, unknown>) => string) =>
  [
    a.sex ? t(`sizing.sex.${a.sex}`) : null,
    a.age ? t('sizing.ageLine', { n: a.age }) : null,
    t('sizing.answersLine', { h: a.heightCm, w: a.weightKg }),
  ]
    .filter(Boolean)
    .join(' · ');

/** Asks which size answers to keep: the guest's just given, or the account's saved profile. */
export function KeepSizeAnswers({
  choice,
  onDone,
}: {
  choice: GuestAnswersChoice | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'guest' | 'saved' | null>(null);
  const keep = async (which: 'guest' | 'saved') => {
    if (!choice) return;
    setBusy(which);
    try {
      if (which === 'guest') await sizingApi.updateProfile(choice.saved.id, { answers: choice.guest });
      clearAnswers();
      onDone();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Popup visible={choice !== null} bodyClassName="sz-sheet" data-testid="keep-size-answers">
      {choice && (
        <div className="sz-keep" data-testid="keep-size-answers-body">
          <div className="sz-sheet-title">{t('sizing.keep.title')}</div>
          <p className="b-muted-sm">{t('sizing.keep.body', { name: profileName(choice.saved, t) })}</p>
          <Button
            block
            shape="rounded"
            color="primary"
            loading={busy === 'guest'}
            disabled={busy !== null}
            onClick={() => void keep('guest')}
            data-testid="keep-guest-answers"
          >
            <span className="sz-keep-choice">{t('sizing.keep.guest')}</span>
            <small className="sz-keep-line">{line(choice.guest, t)}</small>
          </Button>
          <Button
            block
            shape="rounded"
            fill="outline"
            color="primary"
            loading={busy === 'saved'}
            disabled={busy !== null}
            onClick={() => void keep('saved')}
            data-testid="keep-saved-profile"
          >
            <span className="sz-keep-choice">{t('sizing.keep.saved')}</span>
            <small className="sz-keep-line">{line(choice.saved.answers, t)}</small>
          </Button>
        </div>
      )}
    </Popup>
  );
}
