import type { MinutesView } from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath } from './paths';

const minutesPath = (compoundId: string, meetingId: string) =>
  `${compoundPath(compoundId)}/meetings/${encodeURIComponent(meetingId)}/minutes`;

/** A meeting's minutes: the view with the automatic record, the recorder, closing, and the exports. The text is co-edited over the socket. */
export const minutesApi = {
  minutes: (compoundId: string, meetingId: string) => request<MinutesView>(minutesPath(compoundId, meetingId)),

  setMinutesRecorder: (compoundId: string, meetingId: string, userId: string | null) =>
    request<MinutesView>(`${minutesPath(compoundId, meetingId)}/recorder`, { method: 'PUT', body: { userId } }),

  closeMinutes: (compoundId: string, meetingId: string) =>
    request<MinutesView>(`${minutesPath(compoundId, meetingId)}/close`, { method: 'POST' }),

  minutesFile: (compoundId: string, meetingId: string, format: 'md' | 'pdf') =>
    requestBlob(`${minutesPath(compoundId, meetingId)}/minutes.${format}`),
};
