import { Button, DotLoading } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorMessage, type Product } from '../../api.ts';
import { useSession } from '../../shared/session.tsx';
import {
  apparelCategoryIds,
  type BodyAnswers,
  type ChildProfileNeeded,
  FIT_COLORS,
  levelKey,
  profileName,
  type Recommendation,
  type SizeProfile,
  sizingApi,
} from '../../shared/sizing-api.ts';
import { Avatar } from './Avatar.tsx';
import { loadAnswers, saveAnswers } from './answers-store.ts';
import { SizeQuestions } from './SizeQuestions.tsx';

type State =
  | { kind: 'checking' }
  | { kind: 'none' }
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; rec: Recommendation }
  /** A grown-up's body on a children's product: ask for a child's profile instead of recommending. */
  | { kind: 'child'; need: ChildProfileNeeded }
  | { kind: 'error'; error: unknown };

/** Who the questions are being answered for: the buyer, or a child (a children's product). */
type Asking = 'self' | 'child';

/** Starting answers for a child (a seven-year-old of median height and weight). */
const CHILD_ANSWERS: BodyAnswers = { heightCm: 125, weightKg: 24, age: 7, fitPreference: 'regular' };

/** Below this P(fit) of the best size, the buyer is told the recommendation is a weak one. */
const LOW_CONFIDENCE = 0.4;

/** Errors that mean the assistant cannot serve this product: hide it rather than show an error. */
const NOT_SERVED = new Set(['not_apparel', 'no_size_chart', 'empty_size_chart', 'unknown_product']);

/**
 * The size assistant on an apparel product page: "Find my size" (three questions) or, when the buyer
 * already has a profile / saved answers, the recommendation straight away; the recommended size is
 * handed to the size picker (`onRecommended`), and the try-on avatar follows the chosen size.
 */
export function SizeAssistant({
  product,
  size,
  onSize,
  onRecommended,
}: {
  product: Product;
  size: string | undefined;
  onSize: (size: string) => void;
  /** A new recommendation arrived: preselect its size (`asked`: the buyer just asked for it). */
  onRecommended: (size: string | null, asked: boolean) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account, loading: sessionLoading } = useSession();
  const isBuyer = account?.role === 'buyer';
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [profiles, setProfiles] = useState<SizeProfile[]>([]);
  const [profileId, setProfileId] = useState<string>();
  const [sheet, setSheet] = useState<Asking | null>(null);
  const [busy, setBusy] = useState(false);
  const onRecommendedRef = useRef(onRecommended);
  onRecommendedRef.current = onRecommended;

  const run = useCallback(
    async (input: { profileId?: string; answers?: BodyAnswers }, asked = false) => {
      setState({ kind: 'loading' });
      try {
        const rec = await sizingApi.recommend({ productId: product.id, ...input });
        setState({ kind: 'ready', rec });
        onRecommendedRef.current(rec.recommendedSize, asked);
        return true;
      } catch (e) {
        if (e instanceof ApiError && NOT_SERVED.has(e.code)) setState({ kind: 'none' });
        else if (e instanceof ApiError && e.code === 'child_profile_needed') {
          setState({ kind: 'child', need: e.details as ChildProfileNeeded });
          onRecommendedRef.current(null, asked);
        } else setState({ kind: 'error', error: e });
        return false;
      }
    },
    [product.id],
  );

  // On arrival: is the product apparel with sizes, and do we already know the buyer's body?
  useEffect(() => {
    if (sessionLoading) return;
    let cancelled = false;
    (async () => {
      if (product.sizes.length === 0) return setState({ kind: 'none' });
      try {
        const apparel = await apparelCategoryIds();
        if (!apparel.has(product.categoryId)) return setState({ kind: 'none' });
      } catch {
        return setState({ kind: 'none' });
      }
      const local = loadAnswers();
      if (isBuyer) {
        let list: SizeProfile[] = [];
        try {
          list = await sizingApi.profiles();
          // answers given before signing in become the buyer's own profile
          if (list.length === 0 && local) {
            list = [await sizingApi.createProfile({ label: 'self', answers: local })];
          }
        } catch {
          list = [];
        }
        if (cancelled) return;
        setProfiles(list);
        const chosen = list.find((p) => p.label === 'self') ?? list[0];
        if (chosen) {
          setProfileId(chosen.id);
          await run({ profileId: chosen.id });
        } else setState({ kind: 'idle' });
      } else if (local) {
        await run({ answers: local });
      } else setState({ kind: 'idle' });
    })();
    return () => {
      cancelled = true;
    };
  }, [sessionLoading, isBuyer, product.sizes.length, product.categoryId, run]);

  const current = profiles.find((p) => p.id === profileId);
  const submit = async (answers: BodyAnswers) => {
    setBusy(true);
    try {
      if (sheet === 'child') {
        // a child's answers: a new child's profile for a buyer; a guest's are used once, not kept
        if (isBuyer) {
          const profile = await sizingApi.createProfile({ label: 'child', answers });
          setProfiles((list) => [...list, profile]);
          setProfileId(profile.id);
          setSheet(null);
          await run({ profileId: profile.id }, true);
        } else {
          setSheet(null);
          await run({ answers }, true);
        }
      } else if (isBuyer) {
        const own = current?.label === 'self' ? current : profiles.find((p) => p.label === 'self');
        const profile = own
          ? await sizingApi.updateProfile(own.id, { answers })
          : await sizingApi.createProfile({ label: 'self', answers });
        setProfiles((list) => [profile, ...list.filter((p) => p.id !== profile.id)]);
        setProfileId(profile.id);
        setSheet(null);
        await run({ profileId: profile.id }, true);
      } else {
        saveAnswers(answers);
        setSheet(null);
        await run({ answers }, true);
      }
    } catch (e) {
      setSheet(null);
      setState({ kind: 'error', error: e });
    } finally {
      setBusy(false);
    }
  };

  if (state.kind === 'none' || state.kind === 'checking') return null;
  const rec = state.kind === 'ready' ? state.rec : undefined;
  const shownSize =
    rec && size && rec.sizes.some((s) => s.size === size) ? size : (rec?.recommendedSize ?? undefined);
  const shown = rec?.sizes.find((s) => s.size === shownSize);
  const initialAnswers = sheet === 'child' ? CHILD_ANSWERS : (current?.answers ?? loadAnswers());
  const children = profiles.filter((p) => p.label === 'child');
  const chooseProfile = (id: string) => {
    setProfileId(id);
    void run({ profileId: id }, true);
  };

  return (
    <>
      <section className="b-block sz-block" data-testid="size-assistant">
        <div className="sz-head">
          <span className="b-block-title sz-title">
            <span className="sz-ai">AI</span>
            {t('sizing.assistant')}
          </span>
          <Button
            size="mini"
            shape="rounded"
            color="primary"
            fill={rec ? 'outline' : 'solid'}
            onClick={() => setSheet('self')}
            data-testid="find-my-size"
          >
            {rec ? t('sizing.redo') : t('sizing.findMySize')}
          </Button>
        </div>

        {state.kind === 'idle' && <p className="b-muted-sm sz-pitch">{t('sizing.pitch')}</p>}
        {state.kind === 'loading' && (
          <div className="b-muted-sm sz-pitch" data-testid="size-loading">
            {t('sizing.working')}
            <DotLoading />
          </div>
        )}
        {state.kind === 'error' && (
          <div className="sz-error" data-testid="size-error">
            {errorMessage(state.error)}{' '}
            <button type="button" className="b-link-plain b-link" onClick={() => setSheet('self')}>
              {t('common.retry')}
            </button>
          </div>
        )}

        {state.kind === 'child' && (
          <div className="sz-child" data-testid="size-child-prompt">
            <div className="sz-child-title">{t('sizing.child.title')}</div>
            <p className="b-muted-sm">
              {state.need.sizeRangeCm
                ? t('sizing.child.body', {
                    min: state.need.sizeRangeCm[0],
                    max: state.need.sizeRangeCm[1],
                    h: state.need.heightCm,
                  })
                : t('sizing.child.bodyNoRange', { h: state.need.heightCm })}
            </p>
            <div className="b-muted-sm">{t('sizing.child.ask')}</div>
            <div className="sz-child-actions">
              {children.map((p) => (
                <Button
                  key={p.id}
                  size="small"
                  shape="rounded"
                  color="primary"
                  onClick={() => chooseProfile(p.id)}
                  data-testid="size-child-use"
                >
                  {t('sizing.child.use', { name: profileName(p, t) })}
                </Button>
              ))}
              <Button
                size="small"
                shape="rounded"
                color="primary"
                fill={children.length > 0 ? 'outline' : 'solid'}
                onClick={() => setSheet('child')}
                data-testid="size-child-add"
              >
                {isBuyer ? t('sizing.child.add') : t('sizing.child.answer')}
              </Button>
            </div>
          </div>
        )}

        {rec && (
          <>
            {profiles.length > 1 && (
              <div className="sz-profiles">
                <span className="b-muted-sm">{t('sizing.for')}</span>
                {profiles.map((p) => (
                  <button
                    key={p.id}
                    type="button"
                    className={`b-opt${p.id === profileId ? ' b-opt-on' : ''}`}
                    onClick={() => chooseProfile(p.id)}
                  >
                    {profileName(p, t)}
                  </button>
                ))}
              </div>
            )}
            {rec.recommendedSize && rec.decision.code === 'between' ? (
              <div
                className="sz-rec sz-rec-between"
                data-testid="size-recommendation"
                data-size={rec.recommendedSize}
                data-decision="between"
              >
                <span className="sz-rec-label">{t('sizing.recommended')}</span>
                <span className="sz-rec-size" data-testid="size-between">
                  {t('sizing.decision.between', rec.decision)}
                </span>
                <span className="sz-conf" data-testid="size-confidence">
                  {t('sizing.confidence', { p: Math.round(rec.confidence * 100) })}
                </span>
                <span className="sz-rec-hint" data-testid="size-between-hint">
                  {rec.decision.preference
                    ? t(`sizing.decision.lean_${rec.decision.preference}`, { size: rec.decision.pick })
                    : t('sizing.decision.betweenHint', rec.decision)}
                </span>
              </div>
            ) : rec.recommendedSize ? (
              <div
                className="sz-rec"
                data-testid="size-recommendation"
                data-size={rec.recommendedSize}
                data-decision={rec.decision.code}
              >
                <span className="sz-rec-label">{t('sizing.recommended')}</span>
                <span className="sz-rec-size">{rec.recommendedSize}</span>
                <span className="sz-conf" data-testid="size-confidence">
                  {t('sizing.confidence', { p: Math.round(rec.confidence * 100) })}
                </span>
              </div>
            ) : (
              <div className="sz-rec" data-testid="size-recommendation" data-size="">
                {t('sizing.noneFits')}
              </div>
            )}
            {rec.decision.code === 'beyond' ? (
              <div className="sz-note" data-testid="size-beyond">
                {t(`sizing.decision.beyond_${rec.decision.direction}`, { size: rec.decision.size })}
              </div>
            ) : (
              rec.recommendedSize &&
              rec.confidence < LOW_CONFIDENCE && (
                <div className="sz-note" data-testid="size-low-confidence">
                  {t('sizing.lowConfidence')}
                </div>
              )
            )}
            {rec.bodyCheck.length > 0 && (
              <div className="sz-note" data-testid="size-body-check">
                {t('sizing.check.note')}
              </div>
            )}
            {rec.chartSource === 'category' && (
              <div className="sz-note" data-testid="size-chart-note">
                {t('sizing.chartTypical')}
              </div>
            )}
            {shown && (
              <div className="sz-reasons" data-testid="size-reasons" data-size={shown.size}>
                <span className="b-muted-sm">{t('sizing.reasonsFor', { size: shown.size })}</span>
                {shown.reasons.map((r) => (
                  <span
                    key={r.zone}
                    className="sz-reason"
                    style={{ borderColor: FIT_COLORS[r.level], color: FIT_COLORS[r.level] }}
                    data-zone={r.zone}
                    data-fit={r.level}
                  >
                    {t(`sizing.zones.${r.zone}`)} {t(`sizing.levels.${levelKey(r.level)}`)}
                    <small> {t('sizing.ease', { cm: `${r.easeCm > 0 ? '+' : ''}${r.easeCm}` })}</small>
                  </span>
                ))}
              </div>
            )}
            <div className="sz-probs" data-testid="size-probs">
              {rec.sizes.map((s) => (
                <button
                  type="button"
                  key={s.size}
                  className={`sz-prob${s.size === shownSize ? ' on' : ''}`}
                  onClick={() => onSize(s.size)}
                  data-size={s.size}
                  aria-label={t('sizing.probAria', {
                    size: s.size,
                    small: Math.round(s.pSmall * 100),
                    fit: Math.round(s.pFit * 100),
                    large: Math.round(s.pLarge * 100),
                  })}
                >
                  <span className="sz-prob-size">
                    {s.size}
                    {s.size === rec.recommendedSize && <i className="sz-star">★</i>}
                  </span>
                  <span className="sz-bar">
                    <span className="sz-bar-small" style={{ width: `${s.pSmall * 100}%` }} />
                    <span className="sz-bar-fit" style={{ width: `${s.pFit * 100}%` }} />
                    <span className="sz-bar-large" style={{ width: `${s.pLarge * 100}%` }} />
                  </span>
                  <span className="sz-prob-fit">{Math.round(s.pFit * 100)}%</span>
                </button>
              ))}
              <div className="sz-bar-legend b-muted-sm">
                <span>
                  <i className="sz-bar-small" /> {t('sizing.fitOutcome.small')}
                </span>
                <span>
                  <i className="sz-bar-fit" /> {t('sizing.fitOutcome.fit')}
                </span>
                <span>
                  <i className="sz-bar-large" /> {t('sizing.fitOutcome.large')}
                </span>
              </div>
            </div>
            {isBuyer ? (
              <button
                type="button"
                className="b-link-plain b-link sz-manage"
                onClick={() => navigate('/me/sizes')}
              >
                {t('sizing.manage')} ›
              </button>
            ) : (
              <div className="b-muted-sm sz-manage">{t('sizing.savedOnDevice')}</div>
            )}
          </>
        )}
      </section>

      {rec && shownSize && rec.avatar.sizes.some((s) => s.size === shownSize) && (
        <section className="b-block sz-block" data-testid="try-on">
          <div className="sz-head">
            <span className="b-block-title sz-title">
              <span className="sz-ai">AI</span>
              {t('sizing.tryOn')}
            </span>
            <div className="sz-size-tabs">
              {rec.sizes.map((s) => (
                <button
                  key={s.size}
                  type="button"
                  className={s.size === shownSize ? 'on' : undefined}
                  onClick={() => onSize(s.size)}
                  data-testid="try-on-size"
                  data-value={s.size}
                >
                  {s.size}
                </button>
              ))}
            </div>
          </div>
          <Avatar avatar={rec.avatar} size={shownSize} />
        </section>
      )}

      <SizeQuestions
        visible={sheet !== null}
        initial={initialAnswers}
        busy={busy}
        onClose={() => setSheet(null)}
        onSubmit={(a) => void submit(a)}
      />
    </>
  );
}
