import type {
  CommentView,
  CreateCommentRequest,
  CreateProposalRequest,
  DiffLine,
  EditGrantRequest,
  EditRightsView,
  ProposalView,
  RevisionView,
  SignOffRequest,
  SignOffResult,
  SignOffStatusView,
} from '@yishi/shared';
import { request } from './http';
import { compoundPath, proposalPath } from './paths';

/** Proposals: their life cycle, edit rights, frozen revisions, comments and sign-offs. */
export const proposalsApi = {
  proposals: (compoundId: string) => request<ProposalView[]>(`${compoundPath(compoundId)}/proposals`),

  proposal: (compoundId: string, proposalId: string) => request<ProposalView>(proposalPath(compoundId, proposalId)),

  createProposal: (compoundId: string, body: CreateProposalRequest) =>
    request<ProposalView>(`${compoundPath(compoundId)}/proposals`, { method: 'POST', body }),

  amendProposal: (compoundId: string, proposalId: string) =>
    request<ProposalView>(`${proposalPath(compoundId, proposalId)}/amendments`, { method: 'POST', body: {} }),

  editRights: (compoundId: string, proposalId: string) => request<EditRightsView>(`${proposalPath(compoundId, proposalId)}/edit-rights`),

  grantEdit: (compoundId: string, proposalId: string, body: EditGrantRequest) =>
    request<EditRightsView>(`${proposalPath(compoundId, proposalId)}/edit-grants`, { method: 'POST', body }),

  revokeEdit: (compoundId: string, proposalId: string, grantId: string) =>
    request<EditRightsView>(`${proposalPath(compoundId, proposalId)}/edit-grants/${encodeURIComponent(grantId)}`, { method: 'DELETE' }),

  freezeRevision: (compoundId: string, proposalId: string) =>
    request<RevisionView>(`${proposalPath(compoundId, proposalId)}/revisions`, { method: 'POST' }),

  revision: (compoundId: string, proposalId: string, n: number) =>
    request<RevisionView>(`${proposalPath(compoundId, proposalId)}/revisions/${n}`),

  diff: (compoundId: string, proposalId: string, from: number, to: number) =>
    request<DiffLine[]>(`${proposalPath(compoundId, proposalId)}/revisions/${from}/diff/${to}`),

  comments: (compoundId: string, proposalId: string) => request<CommentView[]>(`${proposalPath(compoundId, proposalId)}/comments`),

  comment: (compoundId: string, proposalId: string, body: CreateCommentRequest) =>
    request<CommentView>(`${proposalPath(compoundId, proposalId)}/comments`, { method: 'POST', body }),

  reply: (compoundId: string, proposalId: string, threadId: string, body: string) =>
    request<CommentView>(`${proposalPath(compoundId, proposalId)}/comments/${encodeURIComponent(threadId)}/replies`, {
      method: 'POST',
      body: { body },
    }),

  resolveThread: (compoundId: string, proposalId: string, threadId: string, resolved: boolean) =>
    request<void>(`${proposalPath(compoundId, proposalId)}/comments/${encodeURIComponent(threadId)}/${resolved ? 'resolve' : 'reopen'}`, {
      method: 'POST',
    }),

  signOffs: (compoundId: string, proposalId: string) => request<SignOffStatusView>(`${proposalPath(compoundId, proposalId)}/sign-offs`),

  signOff: (compoundId: string, proposalId: string, revision: number, body: SignOffRequest) =>
    request<SignOffResult>(`${proposalPath(compoundId, proposalId)}/revisions/${revision}/sign-offs`, { method: 'POST', body }),
};
