import { allows, type Role } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { SelectField, TextField } from '../../components/fields';
import { api } from '../../lib/api';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';

/** 责任田: which team looks after which space; the chair divides them. */
export function ZoneList({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const zones = useResource(`zones:${compoundId}`, () => api.zones(compoundId));
  const mayManage = allows(roles, 'resource.manage');
  const teams = useResource(`teams:${compoundId}:${mayManage}`, () =>
    mayManage ? api.resources(compoundId, { kind: 'team', limit: 100 }) : Promise.resolve(null),
  );
  const [space, setSpace] = useState('');
  const [team, setTeam] = useState('');
  const { act, error, busy } = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await act(() => api.createZone(compoundId, { spaceName: space, teamResourceId: team }))) {
      setSpace('');
      zones.reload();
    }
  };
  if (zones.error) return <ErrorAlert error={zones.error} />;
  if (!zones.data) return <p role="status">{t('common.loading')}</p>;
  return (
    <div data-testid="zone-list">
      {zones.data.length === 0 ? (
        <p>{t('resourceList.zonesEmpty')}</p>
      ) : (
        <ul className="meta-list">
          {zones.data.map((z) => (
            <li key={z.id}>
              <span>
                <strong>{z.spaceName}</strong> · {z.teamName}
                {z.notes && <span className="muted block">{z.notes}</span>}
              </span>
              {mayManage && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act(() => api.deleteZone(compoundId, z.id)).then((ok) => ok && zones.reload())}
                >
                  {t('resourceList.removeZone', { space: z.spaceName })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayManage && teams.data && (
        <form onSubmit={add} noValidate>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <TextField label={t('resourceList.space')} value={space} maxLength={100} onChange={(e) => setSpace(e.target.value)} />
          <SelectField label={t('resourceList.team')} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="" />
            {teams.data.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
          <button type="submit" disabled={busy || !space.trim() || !team}>
            {t('resourceList.addZone')}
          </button>
        </form>
      )}
    </div>
  );
}
