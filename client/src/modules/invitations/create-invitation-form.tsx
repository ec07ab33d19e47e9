import {
  HOUSEHOLD_ROLES,
  ORGANISATION_ROLES,
  ROLE_ORGANISATION_KIND,
  type CompoundView,
  type CreateInvitationRequest,
  type HouseholdView,
  type InvitationView,
  type Role,
} from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, SelectField, TextField } from '../../components/fields';
import { FormError } from '../../components/form-error';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';

const EXPIRY_HOURS = [24, 72, 168, 720, 2160] as const;
const DEFAULT_EXPIRY_HOURS = 168;

/** Groups households under their building for the picker; a register can hold hundreds. */
function byBuilding(households: HouseholdView[]): [string, HouseholdView[]][] {
  const groups = new Map<string, HouseholdView[]>();
  for (const h of households) groups.set(h.buildingName, [...(groups.get(h.buildingName) ?? []), h]);
  return [...groups.entries()];
}

export function CreateInvitationForm({
  compound,
  households,
  creatableRoles,
  onCreated,
}: {
  compound: CompoundView;
  households: HouseholdView[];
  creatableRoles: readonly [Role, ...Role[]];
  onCreated: (invitation: InvitationView) => void;
}) {
  const { t } = useTranslation();
  const { forForm } = useErrorText();
  const [role, setRole] = useState<Role>(creatableRoles[0]);
  const [householdId, setHouseholdId] = useState('');
  const [gateId, setGateId] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [designatedVoter, setDesignatedVoter] = useState(false);
  const [expiresInHours, setExpiresInHours] = useState(DEFAULT_EXPIRY_HOURS);
  const [maxUses, setMaxUses] = useState('1');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);

  const needsHousehold = HOUSEHOLD_ROLES.includes(role);
  const needsGate = role === 'gate_leader';
  const organisationKind = ROLE_ORGANISATION_KIND[role];
  const organisations = compound.organisations.filter((o) => o.kind === organisationKind);

  const chooseHousehold = (id: string) => {
    setHouseholdId(id);
    // A gate leader usually leads the gate of their own building entrance.
    const gate = households.find((h) => h.id === id)?.gateId;
    if (needsGate && !gateId && gate) setGateId(gate);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    const body: CreateInvitationRequest = {
      role,
      expiresInHours,
      maxUses: Number(maxUses),
      ...(needsHousehold && { householdId: householdId || undefined, designatedVoter }),
      ...(needsGate && { gateId: gateId || undefined }),
      ...(ORGANISATION_ROLES.includes(role) && { organisationId: organisationId || undefined }),
    };
    try {
      onCreated(await api.createInvitation(compound.id, body));
    } catch (error) {
      setErrors(forForm(error, ['role', 'householdId', 'gateId', 'organisationId', 'designatedVoter', 'expiresInHours', 'maxUses']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="create-invitation-form">
      <FormError errors={errors} />
      <SelectField
        label={t('invitations.role')}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        error={errors?.fields.role}
        data-testid="invitation-role"
      >
        {creatableRoles.map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </SelectField>

      {needsHousehold && (
        <SelectField
          label={t('invitations.household')}
          value={householdId}
          onChange={(e) => chooseHousehold(e.target.value)}
          error={errors?.fields.householdId}
          data-testid="invitation-household"
        >
          <option value="">{t('invitations.chooseHousehold')}</option>
          {byBuilding(households).map(([building, list]) => (
            <optgroup key={building} label={building}>
              {list.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
      )}

      {needsGate && (
        <SelectField
          label={t('invitations.gate')}
          value={gateId}
          onChange={(e) => setGateId(e.target.value)}
          error={errors?.fields.gateId}
          data-testid="invitation-gate"
        >
          <option value="">{t('invitations.chooseGate')}</option>
          {compound.buildings
            .filter((b) => b.gates.length > 0)
            .map((b) => (
              <optgroup key={b.id} label={b.name}>
                {b.gates.map((g) => (
                  <option key={g.id} value={g.id}>
                    {b.name} {g.name}
                  </option>
                ))}
              </optgroup>
            ))}
        </SelectField>
      )}

      {organisationKind && (
        <SelectField
          label={t('invitations.organisation')}
          hint={organisations.length === 0 ? t('invitations.noOrganisationOfKind') : undefined}
          value={organisationId}
          onChange={(e) => setOrganisationId(e.target.value)}
          error={errors?.fields.organisationId}
          data-testid="invitation-organisation"
        >
          <option value="">{t('invitations.chooseOrganisation')}</option>
          {organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
      )}

      {needsHousehold && (
        <CheckboxField
          label={t('invitations.designatedVoter')}
          checked={designatedVoter}
          onChange={(e) => setDesignatedVoter(e.target.checked)}
          error={errors?.fields.designatedVoter}
          data-testid="invitation-voter"
        />
      )}

      <SelectField
        label={t('invitations.expiry')}
        value={expiresInHours}
        onChange={(e) => setExpiresInHours(Number(e.target.value))}
        error={errors?.fields.expiresInHours}
        data-testid="invitation-expiry"
      >
        {EXPIRY_HOURS.map((h) => (
          <option key={h} value={h}>
            {t(`invitations.expiryHours.h${h}`)}
          </option>
        ))}
      </SelectField>

      <TextField
        label={t('invitations.maxUses')}
        type="number"
        inputMode="numeric"
        min={1}
        max={500}
        value={maxUses}
        onChange={(e) => setMaxUses(e.target.value)}
        error={errors?.fields.maxUses}
        data-testid="invitation-max-uses"
      />

      <button type="submit" className="button-primary" disabled={busy} data-testid="invitation-submit">
        {busy ? t('invitations.submitting') : t('invitations.submit')}
      </button>
    </form>
  );
}
