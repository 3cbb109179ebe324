import { Button, Dialog, Popup, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import {
  type BodyAnswers,
  PROFILE_LABELS,
  type ProfileLabel,
  profileName,
  type SizeProfile,
  sizingApi,
  ZONES,
  type Zone,
} from '../../shared/sizing-api.ts';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';
import { NumberInput, SizeQuestions } from './SizeQuestions.tsx';
import { sizeNoteText } from './size-note-text.ts';

const MEASURE_LIMITS: Record<Zone, { min: number; max: number; step: number }> = {
  chest: { min: 40, max: 200, step: 0.5 },
  waist: { min: 35, max: 200, step: 0.5 },
  hip: { min: 40, max: 220, step: 0.5 },
  shoulder: { min: 20, max: 70, step: 0.5 },
  inseam: { min: 25, max: 120, step: 0.5 },
};

/** "My sizes" (我的尺码): the buyer's size profiles, their estimates with uncertainty, corrections. */
export function MySizesPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload, setData } = useAsync((signal) => sizingApi.profiles(signal), []);
  const [adding, setAdding] = useState<{ label: ProfileLabel } | null>(null);
  const [editing, setEditing] = useState<SizeProfile | null>(null);
  const [busy, setBusy] = useState(false);
  const profiles = data ?? [];

  const replace = (p: SizeProfile) => setData(profiles.map((x) => (x.id === p.id ? p : x)));

  const save = async (answers: BodyAnswers) => {
    setBusy(true);
    try {
      if (editing) {
        replace(await sizingApi.updateProfile(editing.id, { answers }));
        setEditing(null);
      } else if (adding) {
        // no name: the label's name, shown in the reader's language
        const created = await sizingApi.createProfile({ label: adding.label, answers });
        setData([...profiles, created]);
        setAdding(null);
      }
      Toast.show({ icon: 'success', content: t('common.saved') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title={t('sizing.mySizes')} testId="my-sizes">
      <p className="b-muted-sm b-pad sz-pitch">{t('sizing.mySizesHint')}</p>
      {loading && !data ? (
        <Loading rows={6} />
      ) : error && !data ? (
        <ErrorView error={error} onRetry={reload} />
      ) : profiles.length === 0 ? (
        <EmptyView text={t('sizing.noProfiles')} />
      ) : (
        profiles.map((p) => (
          <ProfileCard
            key={p.id}
            profile={p}
            onChange={replace}
            onEdit={() => setEditing(p)}
            onDeleted={() => setData(profiles.filter((x) => x.id !== p.id))}
          />
        ))
      )}
      {data && (
        <div className="b-pad">
          <div className="b-muted-sm" style={{ marginBottom: 8 }}>
            {t('sizing.addProfile')}
          </div>
          <div className="sz-seg sz-seg-sm">
            {PROFILE_LABELS.map((l) => (
              <button
                key={l}
                type="button"
                onClick={() => setAdding({ label: l })}
                data-testid={`add-profile-${l}`}
              >
                + {t(`sizing.labels.${l}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      <SizeQuestions
        visible={adding !== null || editing !== null}
        initial={editing?.answers ?? null}
        busy={busy}
        onClose={() => {
          setAdding(null);
          setEditing(null);
        }}
        onSubmit={(a) => void save(a)}
      />
    </Screen>
  );
}

function ProfileCard({
  profile,
  onChange,
  onEdit,
  onDeleted,
}: {
  profile: SizeProfile;
  onChange: (p: SizeProfile) => void;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const [measuring, setMeasuring] = useState<Zone | null>(null);
  const [value, setValue] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const a = profile.answers;

  const saveMeasurements = async (m: Partial<Record<Zone, number>>) => {
    setBusy(true);
    try {
      onChange(await sizingApi.updateProfile(profile.id, { measurements: m }));
      setMeasuring(null);
      Toast.show({ icon: 'success', content: t('common.saved') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    const ok = await Dialog.confirm({
      content: t('sizing.deleteConfirm', { name: profileName(profile, t) }),
      confirmText: <span data-testid="dialog-confirm">{t('common.delete')}</span>,
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    try {
      await sizingApi.deleteProfile(profile.id);
      onDeleted();
      Toast.show({ content: t('sizing.deleted') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };

  const zones = ZONES.filter((z) => profile.body[z]);
  return (
    <section className="sz-profile" data-testid="profile-row" data-profile-id={profile.id}>
      <div className="sz-profile-head">
        <span className="sz-profile-name" data-testid="profile-name">
          {profileName(profile, t)}
        </span>
        {profile.name !== null && <span className="sz-tag">{t(`sizing.labels.${profile.label}`)}</span>}
        <span className="b-muted-sm">
          {[
            a.sex ? t(`sizing.sex.${a.sex}`) : null,
            a.age ? t('sizing.ageLine', { n: a.age }) : null,
            t('sizing.answersLine', { h: a.heightCm, w: a.weightKg }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </div>
      {profile.estimate.outOfRange && <div className="sz-warn">{t('sizing.outOfRange')}</div>}
      {profile.estimate.notes.length > 0 && (
        <ul className="sz-notes b-muted-sm" data-testid="profile-notes">
          {profile.estimate.notes.map((n) => (
            <li key={`${n.code}:${'measure' in n.params ? n.params.measure : ''}`} data-code={n.code}>
              {sizeNoteText(n, t)}
            </li>
          ))}
        </ul>
      )}
      <table className="sz-zone-table">
        <tbody>
          {zones.map((z) => {
            const v = profile.body[z];
            if (!v) return null;
            return (
              <tr key={z} data-testid={`profile-zone-${z}`} data-source={v.source}>
                <td>{t(`sizing.zones.${z}`)}</td>
                <td>
                  {v.cm.toFixed(1)} cm
                  <span className="sz-sd">{t('sizing.uncertainty', { sd: v.sdCm.toFixed(1) })}</span>
                </td>
                <td className={`sz-src-${v.source}`}>
                  {v.source === 'measured' ? t('sizing.measured') : t('sizing.estimated')}
                </td>
                <td>
                  <Button
                    size="mini"
                    fill="none"
                    color="primary"
                    onClick={() => {
                      setValue(Math.round(v.cm));
                      setMeasuring(z);
                    }}
                    data-testid={`measure-${z}`}
                  >
                    {t('sizing.correct')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="sz-profile-actions">
        <Button size="small" shape="rounded" onClick={onEdit} data-testid="profile-edit">
          {t('sizing.editProfile')}
        </Button>
        <Button
          size="small"
          shape="rounded"
          color="danger"
          fill="outline"
          onClick={remove}
          data-testid="profile-delete"
        >
          {t('sizing.deleteProfile')}
        </Button>
      </div>
      <Popup
        visible={measuring !== null}
        onMaskClick={() => setMeasuring(null)}
        bodyClassName="sz-sheet"
        destroyOnClose
      >
        {measuring && (
          <div>
            <div className="sz-q-title">
              {t('sizing.correctTitle', { zone: t(`sizing.zones.${measuring}`) })}
            </div>
            <NumberInput
              testId="measure-input"
              value={value}
              unit="cm"
              limits={MEASURE_LIMITS[measuring]}
              onChange={setValue}
            />
            <div className="sz-sheet-foot">
              {profile.measurements[measuring] !== undefined && (
                <Button
                  shape="rounded"
                  loading={busy}
                  onClick={() => {
                    const { [measuring]: _, ...rest } = profile.measurements;
                    void saveMeasurements(rest);
                  }}
                >
                  {t('sizing.clearMeasured')}
                </Button>
              )}
              <Button
                block
                color="primary"
                shape="rounded"
                loading={busy}
                disabled={
                  value === undefined ||
                  value < MEASURE_LIMITS[measuring].min ||
                  value > MEASURE_LIMITS[measuring].max
                }
                onClick={() => void saveMeasurements({ ...profile.measurements, [measuring]: value })}
                data-testid="measure-save"
              >
                {t('common.save')}
              </Button>
            </div>
          </div>
        )}
      </Popup>
    </section>
  );
}
