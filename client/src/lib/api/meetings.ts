import type { MeetingView, ScheduleMeetingRequest } from '@yishi/shared';
import { request } from './http';
import { compoundPath } from './paths';

/** Meetings: the list, one meeting, scheduling. What happens in the room goes over the socket. */
export const meetingsApi = {
  meetings: (compoundId: string) => request<MeetingView[]>(`${compoundPath(compoundId)}/meetings`),

  meeting: (compoundId: string, meetingId: string) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings/${encodeURIComponent(meetingId)}`),

  scheduleMeeting: (compoundId: string, body: ScheduleMeetingRequest) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings`, { method: 'POST', body }),
};
