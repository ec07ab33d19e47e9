import { isInvited, type MeetingAudience, meetingAudienceLabel, type Role } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/session';

/**
 * Whether the signed-in person is among those a meeting invites, with their roles and party
 * membership in the compound they reach it through (the server refuses the rest: NOT_INVITED).
 */
export function useInvited(compoundId: string, roles: readonly Role[], audience: MeetingAudience): boolean {
  const me = useMe();
  const partyMember = me.memberships.some((m) => m.compoundId === compoundId && m.partyMember);
  return isInvited(audience, { roles, partyMember });
}

/** "邀请：党员", and for someone outside the audience that the meeting is not for them. */
export function AudienceTags({ audience, invited }: { audience: MeetingAudience; invited: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <span className="status-tag" data-testid="meeting-audience">
        {t('lists.invites', { audience: meetingAudienceLabel(audience, i18n.language) })}
      </span>
      {!invited && (
        <>
          {' '}
          <span className="status-tag" data-testid="meeting-not-invited">
            {t('lists.notInvited')}
          </span>
        </>
      )}
    </>
  );
}
