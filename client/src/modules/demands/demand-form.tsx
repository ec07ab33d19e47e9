import {
  DEMAND_CATEGORIES,
  DEMAND_CHANNELS,
  type BuildingView,
  type CreateDemandRequest,
  type DemandCategory,
  type DemandChannel,
  type Role,
} from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { CheckboxField, Options, SelectField, TextField } from '../../components/fields';
import { PhotoPicker } from '../../components/photos';
import type { useOutbox } from './use-outbox';

type Outbox = ReturnType<typeof useOutbox>;

/** Where a demand is: the whole compound, the community, or a building (then maybe one gate). */
const COMPOUND = 'compound';
const COMMUNITY = 'community';

/**
 * A demand, as a resident raises it or a gate leader writes down what a resident told them on a
 * home visit. Built for a phone in 长辈版: one column, native controls, nothing that needs a
 * network to fill in. Every entry goes to the outbox first, so one entered without signal is
 * kept on the phone and sent later; the pending count says how many wait.
 */
export function DemandForm({ roles, buildings, outbox }: { roles: readonly Role[]; buildings: BuildingView[]; outbox: Outbox }) {
  const { t } = useTranslation();
  const collector = roles.includes('gate_leader') || roles.includes('chair');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<DemandCategory | ''>('');
  const [channel, setChannel] = useState<DemandChannel>(collector ? 'home_visit' : 'online');
  const [where, setWhere] = useState(COMPOUND);
  const [gateId, setGateId] = useState('');
  const [forResident, setForResident] = useState(roles.includes('gate_leader'));
  const [name, setName] = useState('');
  const [consent, setConsent] = useState(false);
  const [photos, setPhotos] = useState<File[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);

  const building = buildings.find((b) => b.id === where);
  const pending = outbox.entries.filter((e) => !e.refused);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !category) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    const request: CreateDemandRequest = {
      category,
      channel,
      title: title.trim(),
      body: body.trim(),
      scope: where === COMMUNITY ? 'community' : 'compound',
      buildingId: building?.id,
      gateId: building && gateId ? gateId : undefined,
      onBehalf: collector && forResident ? { name: name.trim() || undefined } : undefined,
      namedConsent: collector && forResident ? consent && name.trim() !== '' : consent,
    };
    setNotice(null);
    try {
      const outcome = await outbox.add(request, photos);
      // A refused entry shows with its reason above the form, and stays in it to be corrected.
      if (outcome === 'refused') return;
      setNotice(outcome === 'sent' ? t('demands.form.sent') : t('demands.form.saved'));
      setTitle('');
      setBody('');
      setName('');
      setConsent(false);
      setPhotos([]);
    } catch {
      setNotice(t('demands.form.storageError'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card demand-form" open={pending.length > 0 || undefined}>
      <summary className="button-link" data-testid="demand-form-open">
        {t('demands.form.title')}
      </summary>
      {pending.length > 0 && (
        <div className="alert" role="status" data-testid="outbox-pending">
          <p>
            <strong>{t('demands.form.pending', { n: pending.length })}</strong>
          </p>
          <p>{t('demands.form.pendingHint')}</p>
          <button type="button" onClick={() => void outbox.flush()}>
            {t('demands.form.sendNow')}
          </button>
        </div>
      )}
      {outbox.entries
        .filter((x) => x.refused)
        .map((x) => (
          <div key={x.clientKey} className="alert alert-error" role="alert">
            <p>
              {x.body.title} — {t('demands.form.refused', { reason: x.refused })}
            </p>
            <button type="button" onClick={() => void outbox.discard(x.clientKey)}>
              {t('demands.form.discard')}
            </button>
          </div>
        ))}
      {outbox.storageError && <Alert>{t('demands.form.storageError')}</Alert>}
      {notice && (
        <p className="alert alert-ok" role="status" data-testid="demand-form-notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate data-testid="demand-form">
        <TextField
          label={t('demands.form.what')}
          hint={t('demands.form.whatHint')}
          value={title}
          maxLength={100}
          required
          error={missing && !title.trim() ? t('demands.form.what') : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        <SelectField
          label={t('demands.category')}
          value={category}
          required
          error={missing && !category ? t('demands.category') : undefined}
          onChange={(e) => setCategory(e.target.value as DemandCategory)}
        >
          <option value="">—</option>
          <Options values={DEMAND_CATEGORIES} label={(c) => t(`demands.categories.${c}`)} />
        </SelectField>
        <SelectField label={t('demands.form.where')} value={where} onChange={(e) => (setWhere(e.target.value), setGateId(''))}>
          <option value={COMPOUND}>{t('demands.wholeCompound')}</option>
          {buildings.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
          <option value={COMMUNITY}>{t('demands.community')}</option>
        </SelectField>
        {building && building.gates.length > 1 && (
          <SelectField label={t('demands.form.gate')} value={gateId} onChange={(e) => setGateId(e.target.value)}>
            <option value="">{t('demands.form.anyGate')}</option>
            {building.gates.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </SelectField>
        )}
        <div className="field">
          <label htmlFor="demand-body">{t('demands.form.details')}</label>
          <textarea id="demand-body" rows={3} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <SelectField label={t('demands.channel')} value={channel} onChange={(e) => setChannel(e.target.value as DemandChannel)}>
          <Options values={DEMAND_CHANNELS} label={(c) => t(`demands.channels.${c}`)} />
        </SelectField>
        {collector && (
          <CheckboxField label={t('demands.form.forResident')} checked={forResident} onChange={(e) => setForResident(e.target.checked)} />
        )}
        {collector && forResident && (
          <TextField label={t('demands.form.residentName')} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        )}
        <CheckboxField
          label={collector && forResident ? t('demands.form.consent') : t('demands.form.myConsent')}
          checked={consent}
          disabled={collector && forResident && name.trim() === ''}
          onChange={(e) => setConsent(e.target.checked)}
        />
        <PhotoPicker
          id="demand-photos"
          label={t('demands.form.photos')}
          countText={(n) => t('demands.form.photoCount', { n })}
          photos={photos}
          onChange={setPhotos}
        />
        <button type="submit" className="button-primary" disabled={busy} data-testid="demand-submit">
          {t('demands.form.submit')}
        </button>
      </form>
    </details>
  );
}
