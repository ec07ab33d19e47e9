import type {
  CreatedProjectorLink,
  MeetingScope,
  MeetingView,
  ProjectorLinkView,
  ScheduleMeetingRequest,
  ScopeCompoundView,
} from '@yishi/shared';
import { request } from './http';
import { compoundPath } from './paths';

/** Meetings: the list, one meeting, scheduling. What happens in the room goes over the socket. */
export const meetingsApi = {
  meetings: (compoundId: string) => request<MeetingView[]>(`${compoundPath(compoundId)}/meetings`),

  meeting: (compoundId: string, meetingId: string) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings/${encodeURIComponent(meetingId)}`),

  /** The compounds a community or street meeting of this compound may take up items about (the chair scheduling). */
  compoundsInScope: (compoundId: string, scope: MeetingScope) =>
    request<ScopeCompoundView[]>(`${compoundPath(compoundId)}/meetings/compounds-in-scope?scope=${encodeURIComponent(scope)}`),

  scheduleMeeting: (compoundId: string, body: ScheduleMeetingRequest) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings`, { method: 'POST', body }),

  /** The chair's 投屏 link: whether one is live, a new one (its token shown once), revoking it. */
  projectorLink: (compoundId: string, meetingId: string) => request<ProjectorLinkView>(projectorLinkPath(compoundId, meetingId)),
  createProjectorLink: (compoundId: string, meetingId: string) =>
    request<CreatedProjectorLink>(projectorLinkPath(compoundId, meetingId), { method: 'POST' }),
  revokeProjectorLink: (compoundId: string, meetingId: string) =>
    request<ProjectorLinkView>(projectorLinkPath(compoundId, meetingId), { method: 'DELETE' }),
};

const projectorLinkPath = (compoundId: string, meetingId: string) =>
  `${compoundPath(compoundId)}/meetings/${encodeURIComponent(meetingId)}/projector-link`;
