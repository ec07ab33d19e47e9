import { allows, type MemberView, type Role } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../components/alert';
import { TablePage } from '../components/table-page';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useResource } from '../lib/use-resource';

/** 党员: the chair ticks it; the mark is the person's, so every row of theirs follows. Others who may see the list read it. */
function PartyCell({ compoundId, m, canMark, onChanged }: { compoundId: string; m: MemberView; canMark: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { act, error, busy } = useAction();
  // Ticked at once; a refusal puts it back, and the reload shows every role of the person.
  const [checked, setChecked] = useState(m.partyMember);
  if (!canMark) return <td data-testid="member-party">{m.partyMember ? t('members.partyMember') : t('common.dash')}</td>;
  const toggle = async (partyMember: boolean) => {
    setChecked(partyMember);
    if (await act(() => api.setPartyMember(compoundId, m.user.id, partyMember))) onChanged();
    else setChecked(!partyMember);
  };
  return (
    <td>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={checked}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
          aria-label={t('members.partyMemberOf', { name: m.user.displayName })}
          data-testid="member-party"
        />{' '}
        {t('members.partyMember')}
      </label>
      {error && <Alert>{error}</Alert>}
    </td>
  );
}

export default function MembersPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const members = useResource(`members:${compoundId}`, () => api.members(compoundId));
  const dash = t('common.dash');
  const canMark = allows(roles, 'member.mark_party');

  return (
    <>
      <TablePage
        title={t('members.title')}
        resource={members}
        empty={t('members.empty')}
        count={(n) => t('members.count', { n })}
        testId="members-table"
        head={
          <>
            <th scope="col">{t('members.name')}</th>
            <th scope="col">{t('members.role')}</th>
            <th scope="col">{t('members.partyMember')}</th>
            <th scope="col">{t('members.household')}</th>
            <th scope="col">{t('members.organisation')}</th>
            <th scope="col">{t('members.account')}</th>
            <th scope="col">{t('members.joinedAt')}</th>
          </>
        }
        row={(m) => (
          <tr key={m.membershipId} data-testid="member-row">
            <th scope="row">{m.user.displayName}</th>
            <td>{t(`roles.${m.role}`)}</td>
            <PartyCell key={String(m.partyMember)} compoundId={compoundId} m={m} canMark={canMark} onChanged={members.reload} />
            <td>{m.householdLabel ?? dash}</td>
            <td>{m.organisationName ?? dash}</td>
            <td>{m.user.phone ?? m.user.username ?? dash}</td>
            <td>{formatDateTime(m.joinedAt)}</td>
          </tr>
        )}
      />
      <p className="muted">{t('members.partyHint')}</p>
    </>
  );
}
