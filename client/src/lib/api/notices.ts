import type { NoticeSummary, NoticeView, ProposalTimeline, PublishNoticeRequest } from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath, proposalPath } from './paths';

/** 公示 (notices with objections) and a proposal's timeline. */
export const noticesApi = {
  notices: (compoundId: string) => request<NoticeSummary[]>(`${compoundPath(compoundId)}/notices`),

  notice: (compoundId: string, noticeId: string) => request<NoticeView>(`${compoundPath(compoundId)}/notices/${noticeId}`),

  /** The A4 paper for the bulletin board (names hidden), for any notice of the compound. */
  noticePdf: (compoundId: string, noticeId: string) => requestBlob(`${compoundPath(compoundId)}/notices/${noticeId}/notice.pdf`),

  /** The public page's notice: no sign-in, no names. */
  publicNotice: (token: string) => request<NoticeView>(`/public/notices/${encodeURIComponent(token)}`, { auth: false }),

  publishNotice: (compoundId: string, body: PublishNoticeRequest) =>
    request<NoticeView>(`${compoundPath(compoundId)}/notices`, { method: 'POST', body }),

  raiseObjection: (compoundId: string, noticeId: string, body: string) =>
    request<NoticeView>(`${compoundPath(compoundId)}/notices/${noticeId}/objections`, { method: 'POST', body: { body } }),

  answerObjection: (compoundId: string, noticeId: string, objectionId: string, answer: string) =>
    request<NoticeView>(`${compoundPath(compoundId)}/notices/${noticeId}/objections/${objectionId}/answer`, {
      method: 'POST',
      body: { answer },
    }),

  withdrawNotice: (compoundId: string, noticeId: string, reason: string) =>
    request<NoticeView>(`${compoundPath(compoundId)}/notices/${noticeId}/withdraw`, { method: 'POST', body: { reason } }),

  proposalTimeline: (compoundId: string, proposalId: string) =>
    request<ProposalTimeline>(`${proposalPath(compoundId, proposalId)}/timeline`),
};
