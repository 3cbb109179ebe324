import { Button, Cascader, Checkbox, Popup, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Address, api, errorMessage, type SavedAddress } from '../api.ts';
import { useAsync } from '../shared/hooks.ts';
import { useRegionOptions } from './regions.ts';
import { Field } from './ui.tsx';

export const ADDRESS_FIELDS: Array<keyof Address> = [
  'name',
  'phone',
  'province',
  'city',
  'district',
  'detail',
];
export type AddressErrors = Partial<Record<keyof Address, string>>;

/**
 * The checkout's address as the buyer left it: kept for the tab's life (per account, so another buyer
 * signing in on the same device does not see it), so back, forward and reload keep it.
 */
const choiceKey = (accountId: string) => `gravity.checkout.address.${accountId}`;

interface Choice {
  /** A saved address, null for a new one, absent until the buyer decides (then the default is used). */
  chosenId?: string | null;
  draft: Address;
  saveToBook: boolean;
}

function readChoice(accountId: string, phone: string): Choice {
  try {
    const saved = JSON.parse(
      sessionStorage.getItem(choiceKey(accountId)) ?? 'null',
    ) as Partial<Choice> | null;
    if (saved?.draft && ADDRESS_FIELDS.every((f) => typeof saved.draft?.[f] === 'string'))
      return { saveToBook: saved.saveToBook !== false, chosenId: saved.chosenId, draft: saved.draft };
  } catch {
    // unreadable: start afresh
  }
  const draft = { name: '', phone, province: '', city: '', district: '', detail: '' };
  return { draft, saveToBook: true };
}

const fieldsOf = (a: Address): Address =>
  Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, a[f].trim()])) as unknown as Address;

export const regionText = (a: Address) => [a.province, a.city, a.district].filter(Boolean).join(' ');

/** The address a checkout will use: a saved one (the default unless the buyer picked another) or a new one. */
export function useCheckoutAddress(account: { id: string; phone: string }) {
  const book = useAsync((signal) => api.get('/addresses', { signal }), []);
  const [choice, setChoice] = useState<Choice>(() => readChoice(account.id, account.phone));
  useEffect(() => {
    try {
      sessionStorage.setItem(choiceKey(account.id), JSON.stringify(choice));
    } catch {
      // private mode: kept in memory only
    }
  }, [choice, account.id]);
  const addresses = book.data?.addresses ?? [];
  const chosenId =
    choice.chosenId !== undefined ? choice.chosenId : (addresses.find((a) => a.isDefault)?.id ?? null);
  const chosen = addresses.find((a) => a.id === chosenId);
  return {
    book,
    addresses,
    chosen,
    choice,
    setChoice,
    /** What the order is placed with. */
    current: (): Address => fieldsOf(chosen ?? choice.draft),
    /** After the order: a new address goes into the book when asked; the checkout's choice is forgotten. */
    async settle(): Promise<void> {
      if (!chosen && choice.saveToBook) {
        await api.post('/addresses', { body: fieldsOf(choice.draft) }).catch((e) => {
          Toast.show({ content: errorMessage(e) });
        });
      }
      try {
        sessionStorage.removeItem(choiceKey(account.id));
      } catch {
        // nothing kept
      }
    },
  };
}

type CheckoutAddress = ReturnType<typeof useCheckoutAddress>;

export function AddressSection({ address, errors }: { address: CheckoutAddress; errors: AddressErrors }) {
  const { t } = useTranslation();
  const [bookOpen, setBookOpen] = useState(false);
  const { chosen, choice, setChoice, addresses, book } = address;
  const choose = (chosenId: string | null) => {
    setChoice((c) => ({ ...c, chosenId }));
    setBookOpen(false);
  };
  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
      book.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };

  return (
    <section className="b-block" data-testid="address-section">
      <div className="b-address-title">
        <span className="b-block-title">{t('buyerApp.addressBook')}</span>
        {addresses.length > 0 && (
          <button
            type="button"
            className="b-link b-link-button"
            onClick={() => setBookOpen(true)}
            data-testid="address-book-open"
          >
            {t('buyerApp.changeAddress')} ›
          </button>
        )}
      </div>
      {chosen ? (
        <AddressCard address={chosen} testId="address-selected" />
      ) : book.loading && !book.data ? null : (
        <AddressForm
          draft={choice.draft}
          errors={errors}
          onChange={(draft) => setChoice((c) => ({ ...c, draft }))}
          saveToBook={choice.saveToBook}
          onSaveToBook={(saveToBook) => setChoice((c) => ({ ...c, saveToBook }))}
        />
      )}
      <Popup
        visible={bookOpen}
        onMaskClick={() => setBookOpen(false)}
        onClose={() => setBookOpen(false)}
        bodyClassName="b-address-book"
      >
        <div className="b-block-title">{t('buyerApp.chooseAddress')}</div>
        <div className="b-address-list" data-testid="address-book">
          {addresses.map((a) => (
            <div key={a.id} className={`b-address-option${a.id === chosen?.id ? ' is-chosen' : ''}`}>
              <button
                type="button"
                className="b-link-plain"
                onClick={() => choose(a.id)}
                data-testid="address-option"
              >
                <AddressCard address={a} />
              </button>
              <div className="b-address-actions">
                {!a.isDefault && (
                  <Button
                    size="mini"
                    fill="none"
                    onClick={() =>
                      act(() =>
                        api.patch('/addresses/{id}', {
                          params: { path: { id: a.id } },
                          body: { isDefault: true },
                        }),
                      )
                    }
                    data-testid="address-make-default"
                  >
                    {t('buyerApp.setDefault')}
                  </Button>
                )}
                <Button
                  size="mini"
                  fill="none"
                  onClick={() => act(() => api.del('/addresses/{id}', { params: { path: { id: a.id } } }))}
                  data-testid="address-delete"
                >
                  {t('buyerApp.deleteAddress')}
                </Button>
              </div>
            </div>
          ))}
        </div>
        <Button block color="primary" fill="outline" onClick={() => choose(null)} data-testid="address-new">
          {t('buyerApp.newAddress')}
        </Button>
      </Popup>
    </section>
  );
}

function AddressCard({ address, testId }: { address: SavedAddress; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="b-address-card" data-testid={testId}>
      <div>
        <b>{address.name}</b> <span className="b-muted-sm">{address.phone}</span>{' '}
        {address.isDefault && (
          <Tag color="primary" fill="outline">
            {t('buyerApp.defaultTag')}
          </Tag>
        )}
      </div>
      <div className="b-muted-sm">
        {regionText(address)} {address.detail}
      </div>
    </div>
  );
}

function AddressForm({
  draft,
  errors,
  onChange,
  saveToBook,
  onSaveToBook,
}: {
  draft: Address;
  errors: AddressErrors;
  onChange: (draft: Address) => void;
  saveToBook: boolean;
  onSaveToBook: (save: boolean) => void;
}) {
  const { t } = useTranslation();
  const options = useRegionOptions();
  const [picking, setPicking] = useState(false);
  const set = (f: keyof Address) => (v: string) => onChange({ ...draft, [f]: v });
  const region = regionText(draft);
  const regionError = errors.province ?? errors.city ?? errors.district;
  return (
    <div className="b-form-grid b-address-form" data-testid="address-form">
      <Field
        label={t('buyer.addr.name')}
        value={draft.name}
        onChange={set('name')}
        testId="address-name"
        error={errors.name}
        autoComplete="name"
      />
      <Field
        label={t('buyer.addr.phone')}
        value={draft.phone}
        onChange={set('phone')}
        testId="address-phone"
        type="tel"
        inputMode="tel"
        maxLength={11}
        error={errors.phone}
        autoComplete="tel"
      />
      <div className="b-field">
        <span className="b-field-label">{t('buyerApp.region')}</span>
        <button
          type="button"
          className={`b-field-input b-region${region ? '' : ' is-empty'}`}
          onClick={() => setPicking(true)}
          data-testid="address-region"
          aria-invalid={regionError ? true : undefined}
        >
          {region || t('buyerApp.regionPlaceholder')}
        </button>
        {regionError && <span className="b-field-error">{regionError}</span>}
      </div>
      <Cascader
        options={options}
        visible={picking}
        onClose={() => setPicking(false)}
        title={t('buyerApp.pickRegion')}
        value={[draft.province, draft.city, draft.district].filter(Boolean)}
        onConfirm={(value) => {
          const [province = '', city = '', district = ''] = value.map((v) => String(v ?? ''));
          onChange({ ...draft, province, city, district });
        }}
      />
      <Field
        label={t('buyer.addr.detail')}
        value={draft.detail}
        onChange={set('detail')}
        testId="address-detail"
        error={errors.detail}
        autoComplete="street-address"
      />
      <Checkbox checked={saveToBook} onChange={onSaveToBook} data-testid="address-save">
        <span className="b-muted-sm">{t('buyerApp.saveToBook')}</span>
      </Checkbox>
    </div>
  );
}
