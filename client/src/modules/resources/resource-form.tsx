import { RESOURCE_AVAILABILITIES, RESOURCE_KINDS, type ResourceAvailability, type ResourceKind, type ResourceView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Options, SelectField, TextField } from '../../components/fields';
import { FormError } from '../../components/form-error';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';

/** Yuan as typed ("1234.5") to integer fen, without floating-point arithmetic; null when not a sum of money. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const FIELDS = ['name', 'organisationId', 'amountFen', 'source', 'contact', 'notes'] as const;

const fenToYuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** Adding or changing one resource (the chair). */
export function ResourceForm({
  compoundId,
  resource,
  onSaved,
  onCancel,
}: {
  compoundId: string;
  resource: ResourceView | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { forForm } = useErrorText();
  const compound = useResource(`compound:${compoundId}`, () => api.compound(compoundId)).data?.organisations ?? [];
  const [kind, setKind] = useState<ResourceKind>(resource?.kind ?? 'venue');
  const [name, setName] = useState(resource?.name ?? '');
  const [availability, setAvailability] = useState<ResourceAvailability>(resource?.availability ?? 'provide');
  const [organisationId, setOrganisationId] = useState(resource?.organisationId ?? '');
  const [amount, setAmount] = useState(resource?.amountFen != null ? fenToYuan(resource.amountFen) : '');
  const [source, setSource] = useState(resource?.source ?? '');
  const [contact, setContact] = useState(resource?.contact ?? '');
  const [notes, setNotes] = useState(resource?.notes ?? '');
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amountFen = kind === 'fund' ? yuanToFen(amount) : null;
    if (kind === 'fund' && amountFen === null) {
      setErrors({ summary: t('resourceList.amountInvalid'), fields: { amountFen: t('resourceList.amountInvalid') }, other: [] });
      return;
    }
    setBusy(true);
    setErrors(null);
    const body = {
      kind,
      name,
      availability,
      organisationId: organisationId || null,
      amountFen,
      source: kind === 'fund' ? source || null : null,
      contact: contact || null,
      notes,
    };
    try {
      if (resource) await api.updateResource(compoundId, resource.id, body);
      else await api.createResource(compoundId, body);
      onSaved();
    } catch (err) {
      setErrors(forForm(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (path: string) => errors?.fields[path];

  return (
    <form onSubmit={submit} noValidate className="card" data-testid="resource-form">
      <h3>{resource ? t('resourceList.editTitle', { name: resource.name }) : t('resourceList.add')}</h3>
      <FormError errors={errors} />
      <SelectField label={t('resourceList.kind')} value={kind} onChange={(e) => setKind(e.target.value as ResourceKind)}>
        <Options values={RESOURCE_KINDS} label={(k) => t(`resourceList.kinds.${k}`)} />
      </SelectField>
      <TextField
        label={t('resourceList.name')}
        value={name}
        maxLength={100}
        error={fieldError('name')}
        onChange={(e) => setName(e.target.value)}
      />
      <SelectField
        label={t('resourceList.availability')}
        value={availability}
        onChange={(e) => setAvailability(e.target.value as ResourceAvailability)}
      >
        <Options values={RESOURCE_AVAILABILITIES} label={(a) => t(`resourceList.availabilities.${a}`)} />
      </SelectField>
      <SelectField
        label={t('resourceList.organisation')}
        value={organisationId}
        error={fieldError('organisationId')}
        onChange={(e) => setOrganisationId(e.target.value)}
      >
        <option value="">{t('resourceList.internal')}</option>
        {compound.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      {kind === 'fund' && (
        <>
          <TextField
            label={t('resourceList.amountYuan')}
            inputMode="decimal"
            value={amount}
            error={fieldError('amountFen')}
            onChange={(e) => setAmount(e.target.value)}
          />
          <TextField label={t('resourceList.sourceLabel')} value={source} maxLength={100} onChange={(e) => setSource(e.target.value)} />
        </>
      )}
      <TextField label={t('resourceList.contactLabel')} value={contact} maxLength={100} onChange={(e) => setContact(e.target.value)} />
      <TextField label={t('resourceList.notes')} value={notes} maxLength={1000} onChange={(e) => setNotes(e.target.value)} />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {t('resourceList.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('resourceList.cancel')}
        </button>
      </div>
    </form>
  );
}
