import {
  HOUSEHOLD_ROLES,
  ORGANISATION_ROLES,
  ROLE_ORGANISATION_KIND,
  ROLES,
  type CompoundView,
  type CreateInvitationRequest,
  type HouseholdView,
  type InvitationView,
  type Role,
} from '@yishi/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { FormError } from '../components/form-error';
import { PageHeading } from '../components/page-heading';
import { TableScroll } from '../components/table-scroll';
import { api } from '../lib/api';
import { useErrorText, type FormErrors } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/use-resource';

const EXPIRY_HOURS = [24, 72, 168, 720, 2160] as const;
const DEFAULT_EXPIRY_HOURS = 168;

type Status = 'active' | 'revoked' | 'expired' | 'usedUp';

function statusOf(invitation: InvitationView, now: number): Status {
  if (invitation.revoked) return 'revoked';
  if (Date.parse(invitation.expiresAt) <= now) return 'expired';
  if (invitation.uses >= invitation.maxUses) return 'usedUp';
  return 'active';
}

/** Groups households under their building for the picker; a register can hold hundreds. */
function byBuilding(households: HouseholdView[]): [string, HouseholdView[]][] {
  const groups = new Map<string, HouseholdView[]>();
  for (const h of households) groups.set(h.buildingName, [...(groups.get(h.buildingName) ?? []), h]);
  return [...groups.entries()];
}

function CreatedCode({ invitation }: { invitation: InvitationView }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLElement>(null);
  // The code appears below a long form; bring it into view on a small phone. (Braces matter:
  // newer browsers return a promise from scrollIntoView, and an effect may only return a cleanup.)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const copy = () => {
    navigator.clipboard?.writeText(invitation.code).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <section ref={ref} className="card created-code" aria-labelledby="created-code-title" role="status">
      <h3 id="created-code-title">{t('invitations.createdTitle')}</h3>
      <p className="code-display" data-testid="invitation-code" lang="en">
        {invitation.code}
      </p>
      <p>
        {t('invitations.createdFor', {
          role: t(`roles.${invitation.role}`),
          household: invitation.householdLabel ?? t('common.dash'),
        })}
      </p>
      <p>{t('invitations.expiresAt', { date: formatDateTime(invitation.expiresAt) })}</p>
      <p className="muted">{t('invitations.createdHint')}</p>
      {typeof navigator.clipboard?.writeText === 'function' && (
        <button type="button" onClick={copy} data-testid="copy-code">
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      )}
    </section>
  );
}

function CreateInvitationForm({
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

function InvitationList({
  compoundId,
  invitations,
  onChanged,
}: {
  compoundId: string;
  invitations: InvitationView[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [now] = useState(() => Date.now());
  const [error, setError] = useState<unknown>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  // Asked in place, not in a pop-up dialog (no pop-ups: the elderly-friendly specification).
  const [confirming, setConfirming] = useState<string | null>(null);

  const revoke = async (invitation: InvitationView) => {
    setConfirming(null);
    setRevoking(invitation.id);
    setError(null);
    try {
      await api.revokeInvitation(compoundId, invitation.id);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setRevoking(null);
    }
  };

  if (invitations.length === 0) return <p>{t('invitations.empty')}</p>;
  return (
    <>
      {error !== null && <ErrorAlert error={error} />}
      <TableScroll label={t('invitations.listTitle')}>
        <table className="wide" data-testid="invitations-table">
          <thead>
            <tr>
              <th scope="col">{t('invitations.code')}</th>
              <th scope="col">{t('invitations.role')}</th>
              <th scope="col">{t('invitations.household')}</th>
              <th scope="col">{t('invitations.uses')}</th>
              <th scope="col">{t('invitations.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('invitations.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((inv) => {
              const status = statusOf(inv, now);
              return (
                <tr key={inv.id} data-testid="invitation-row">
                  <th scope="row" className="code-cell" lang="en">
                    {inv.code}
                  </th>
                  <td>{t(`roles.${inv.role}`)}</td>
                  <td>{inv.householdLabel ?? t('common.dash')}</td>
                  <td className="number">
                    {inv.uses} / {inv.maxUses}
                  </td>
                  <td>
                    {t(`invitations.statuses.${status}`)}
                    <span className="muted block">{formatDateTime(inv.expiresAt)}</span>
                  </td>
                  <td>
                    {status === 'active' && confirming !== inv.id && (
                      <button
                        type="button"
                        aria-label={t('invitations.revokeNamed', { code: inv.code })}
                        disabled={revoking === inv.id}
                        onClick={() => setConfirming(inv.id)}
                        data-testid="invitation-revoke"
                      >
                        {t('invitations.revoke')}
                      </button>
                    )}
                    {status === 'active' && confirming === inv.id && (
                      <div role="group" aria-label={t('invitations.revokeNamed', { code: inv.code })}>
                        <p>{t('invitations.revokeConfirm', { code: inv.code })}</p>
                        <div className="button-row">
                          <button
                            type="button"
                            className="button-primary"
                            onClick={() => void revoke(inv)}
                            data-testid="invitation-revoke-confirm"
                          >
                            {t('invitations.revoke')}
                          </button>
                          <button type="button" className="button-quiet" onClick={() => setConfirming(null)}>
                            {t('comments.cancel')}
                          </button>
                        </div>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

export default function InvitationsPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const compound = useResource(`compound:${compoundId}`, () => api.compound(compoundId));
  const households = useResource(`households:${compoundId}`, () => api.households(compoundId));
  const invitations = useResource(`invitations:${compoundId}`, () => api.invitations(compoundId));
  const [created, setCreated] = useState<InvitationView | null>(null);
  // A gate leader may only invite residents of their own gate; the chair may invite anyone.
  const creatableRoles: readonly [Role, ...Role[]] = roles.includes('chair') ? ROLES : ['resident'];
  const failed = compound.error ?? households.error;

  return (
    <>
      <PageHeading title={t('invitations.title')}>{t('invitations.title')}</PageHeading>

      <section aria-labelledby="create-invitation">
        <h2 id="create-invitation">{t('invitations.createTitle')}</h2>
        {failed ? (
          <ErrorAlert error={failed} />
        ) : !compound.data || !households.data ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <CreateInvitationForm
            compound={compound.data}
            households={households.data}
            creatableRoles={creatableRoles}
            onCreated={(invitation) => {
              setCreated(invitation);
              invitations.reload();
            }}
          />
        )}
        {created && <CreatedCode key={created.id} invitation={created} />}
      </section>

      <section aria-labelledby="invitation-list">
        <h2 id="invitation-list">{t('invitations.listTitle')}</h2>
        {invitations.error ? (
          <ErrorAlert
            error={invitations.error}
            action={
              <button type="button" onClick={invitations.reload}>
                {t('common.retry')}
              </button>
            }
          />
        ) : !invitations.data ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <InvitationList compoundId={compoundId} invitations={invitations.data} onChanged={invitations.reload} />
        )}
      </section>
    </>
  );
}
