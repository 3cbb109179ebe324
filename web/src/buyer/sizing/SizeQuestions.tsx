import { Button, Dialog, Popup } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bodyMassIndex, implausibleAnswers } from '../../../../src/modules/sizing/body-plausibility.ts';
import type { BodyAnswers, FitPreference, Sex } from '../../shared/sizing-api.ts';
import { defaultAnswers, LIMITS, validAnswers } from './answers-store.ts';

const STEP_KEYS = ['body', 'height', 'weight'] as const;

/**
 * "Find my size": three quick questions in a bottom sheet — sex & age, height, weight (with an
 * optional fit preference) — each with a sensible default, a stepper and a slider.
 */
export function SizeQuestions({
  visible,
  initial,
  busy,
  onClose,
  onSubmit,
}: {
  visible: boolean;
  initial: BodyAnswers | null;
  busy: boolean;
  onClose: () => void;
  onSubmit: (answers: BodyAnswers) => void;
}) {
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [a, setA] = useState<BodyAnswers>(initial ?? defaultAnswers());
  const [touched, setTouched] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: start over each time the sheet opens
  useEffect(() => {
    if (visible) {
      setStep(0);
      setA(initial ?? defaultAnswers());
      setTouched(Boolean(initial));
    }
  }, [visible]);

  const setSex = (sex: Sex) =>
    // until the buyer changes height or weight, follow the defaults of the chosen sex
    setA((prev) => (touched ? { ...prev, sex } : { ...defaultAnswers(sex), age: prev.age }));
  const set = (patch: Partial<BodyAnswers>) => {
    setTouched(true);
    setA((prev) => ({ ...prev, ...patch }));
  };
  const steps = STEP_KEYS.length;
  // unlikely answers (219 cm and 40 kg) get a second look before they are used
  const submit = async () => {
    const flags = implausibleAnswers(a);
    if (flags.length > 0) {
      const sure = await Dialog.confirm({
        title: t('sizing.check.title'),
        content: (
          <div data-testid="size-check">
            {t('sizing.check.body', {
              h: a.heightCm,
              w: a.weightKg,
              bmi: bodyMassIndex(a.heightCm, a.weightKg).toFixed(1),
              why: flags.map((f) => t(`sizing.check.flags.${f}`)).join(t('sizing.check.separator')),
            })}
          </div>
        ),
        confirmText: <span data-testid="size-check-yes">{t('sizing.check.yes')}</span>,
        cancelText: <span data-testid="size-check-fix">{t('sizing.check.fix')}</span>,
      });
      if (!sure) return;
    }
    onSubmit(a);
  };
  const valid = validAnswers(a);
  const stepValid =
    step === 0
      ? a.age === undefined || (a.age >= LIMITS.age.min && a.age <= LIMITS.age.max)
      : step === 1
        ? a.heightCm >= LIMITS.heightCm.min && a.heightCm <= LIMITS.heightCm.max
        : valid;

  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      bodyClassName="sz-sheet"
      destroyOnClose
      data-testid="size-questions"
    >
      <div className="sz-sheet-head">
        <span className="sz-sheet-title">{t('sizing.findMySize')}</span>
        <span className="sz-steps" data-testid="size-q-step" data-step={step + 1}>
          {STEP_KEYS.map((k, i) => (
            <i key={k} className={i <= step ? 'on' : undefined} />
          ))}
          <span>
            {step + 1}/{steps}
          </span>
        </span>
        <button type="button" className="sz-sheet-close" onClick={onClose} aria-label={t('common.cancel')}>
          ×
        </button>
      </div>

      {step === 0 && (
        <div className="sz-q">
          <div className="sz-q-title">{t('sizing.qSex')}</div>
          <div className="sz-seg" data-testid="size-q-sex" data-value={a.sex}>
            {(['female', 'male'] as const).map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={a.sex === s}
                className={a.sex === s ? 'on' : undefined}
                data-value={s}
                onClick={() => setSex(s)}
              >
                {t(`sizing.sex.${s}`)}
              </button>
            ))}
          </div>
          <div className="sz-q-title">{t('sizing.qAge')}</div>
          <NumberInput
            testId="size-q-age"
            value={a.age}
            unit={t('sizing.years')}
            limits={LIMITS.age}
            onChange={(age) => set({ age })}
          />
        </div>
      )}
      {step === 1 && (
        <div className="sz-q">
          <div className="sz-q-title">{t('sizing.qHeight')}</div>
          <NumberInput
            testId="size-q-height"
            value={a.heightCm}
            unit="cm"
            limits={LIMITS.heightCm}
            onChange={(heightCm) => set({ heightCm: heightCm ?? Number.NaN })}
          />
        </div>
      )}
      {step === 2 && (
        <div className="sz-q">
          <div className="sz-q-title">{t('sizing.qWeight')}</div>
          <NumberInput
            testId="size-q-weight"
            value={a.weightKg}
            unit="kg"
            limits={LIMITS.weightKg}
            onChange={(weightKg) => set({ weightKg: weightKg ?? Number.NaN })}
          />
          <div className="sz-q-title sz-q-sub">{t('sizing.qFit')}</div>
          <div className="sz-seg sz-seg-sm" data-testid="size-q-fit">
            {(['snug', 'regular', 'loose'] as FitPreference[]).map((f) => (
              <button
                key={f}
                type="button"
                aria-pressed={(a.fitPreference ?? 'regular') === f}
                className={(a.fitPreference ?? 'regular') === f ? 'on' : undefined}
                data-value={f}
                onClick={() => set({ fitPreference: f })}
              >
                {t(`sizing.pref.${f}`)}
              </button>
            ))}
          </div>
        </div>
      )}

      <div className="sz-sheet-foot">
        {step > 0 && (
          <Button shape="rounded" onClick={() => setStep(step - 1)} data-testid="size-q-back">
            {t('sizing.prev')}
          </Button>
        )}
        {step < steps - 1 ? (
          <Button
            color="primary"
            shape="rounded"
            block
            disabled={!stepValid}
            onClick={() => setStep(step + 1)}
            data-testid="size-q-next"
          >
            {t('sizing.next')}
          </Button>
        ) : (
          <Button
            color="primary"
            shape="rounded"
            block
            disabled={!valid}
            loading={busy}
            onClick={() => void submit()}
            data-testid="size-q-submit"
          >
            {t('sizing.seeMySize')}
          </Button>
        )}
      </div>
      <p className="sz-privacy">{t('sizing.privacy')}</p>
    </Popup>
  );
}

/** A number with − / + buttons, a typed field and a slider. */
export function NumberInput({
  value,
  onChange,
  limits,
  unit,
  testId,
}: {
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  limits: { min: number; max: number; step: number };
  unit: string;
  testId: string;
}) {
  const [text, setText] = useState(value === undefined || Number.isNaN(value) ? '' : String(value));
  useEffect(() => {
    setText((prev) =>
      Number(prev) === value ? prev : value === undefined || Number.isNaN(value) ? '' : String(value),
    );
  }, [value]);
  const clamp = (v: number) => Math.min(limits.max, Math.max(limits.min, v));
  const bump = (d: number) => {
    const base = value === undefined || Number.isNaN(value) ? (limits.min + limits.max) / 2 : value;
    onChange(Math.round(clamp(base + d) * 10) / 10);
  };
  const out = value !== undefined && !Number.isNaN(value) && (value < limits.min || value > limits.max);
  return (
    <div className="sz-num">
      <div className="sz-num-row">
        <button type="button" className="sz-num-btn" onClick={() => bump(-limits.step)} aria-label="-">
          −
        </button>
        <label className="sz-num-field">
          <input
            type="number"
            inputMode="decimal"
            value={text}
            min={limits.min}
            max={limits.max}
            step={limits.step}
            aria-invalid={out || undefined}
            data-testid={testId}
            onChange={(e) => {
              setText(e.target.value);
              const v = e.target.value === '' ? undefined : Number(e.target.value);
              onChange(v === undefined || Number.isNaN(v) ? undefined : v);
            }}
          />
          <span>{unit}</span>
        </label>
        <button type="button" className="sz-num-btn" onClick={() => bump(limits.step)} aria-label="+">
          +
        </button>
      </div>
      <input
        type="range"
        className="sz-range"
        min={limits.min}
        max={limits.max}
        step={limits.step}
        value={value === undefined || Number.isNaN(value) ? (limits.min + limits.max) / 2 : clamp(value)}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-hidden
        tabIndex={-1}
      />
      {out && (
        <div className="sz-num-error">
          {limits.min}–{limits.max} {unit}
        </div>
      )}
    </div>
  );
}
