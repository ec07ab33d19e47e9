import type {
  BallotReceipt,
  OpenRoundRequest,
  PaperDisputeView,
  PaperHouseholdView,
  ReceiptView,
  RollCallEntry,
  RoundView,
} from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath, proposalPath, roundPath } from './paths';

/** Vote rounds: opening and closing, roll-call and receipts, paper ballots and their disputes. */
export const votesApi = {
  openRound: (compoundId: string, proposalId: string, body: OpenRoundRequest) =>
    request<RoundView>(`${proposalPath(compoundId, proposalId)}/rounds`, { method: 'POST', body }),

  rounds: (compoundId: string, proposalId: string) => request<RoundView[]>(`${proposalPath(compoundId, proposalId)}/rounds`),

  closeRound: (compoundId: string, roundId: string) =>
    request<RoundView>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/close`, { method: 'POST' }),

  rollCall: (compoundId: string, roundId: string) =>
    request<RollCallEntry[]>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/roll-call`),

  receipt: (compoundId: string, roundId: string, receipt: string) =>
    request<ReceiptView>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/receipts/${encodeURIComponent(receipt)}`),

  /** The households the caller prints and enters ballot papers for, with who may sign each. */
  ballotPapers: (compoundId: string, roundId: string) => request<PaperHouseholdView[]>(`${roundPath(compoundId, roundId)}/ballot-papers`),

  /** Prints ballot papers (a PDF, one page per household, each with a fresh one-time code). */
  printBallotPapers: (compoundId: string, roundId: string, householdIds: string[]) =>
    requestBlob(`${roundPath(compoundId, roundId)}/ballot-papers`, { method: 'POST', body: { householdIds } }),

  /** A ballot handed in on paper, entered with its one-time code, its signer and the photo of the signed paper. */
  paperBallot: (compoundId: string, roundId: string, fields: Record<string, string>, photo: File) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('photo', photo);
    return request<BallotReceipt>(`${roundPath(compoundId, roundId)}/paper-ballots`, { method: 'POST', body: form });
  },

  paperPhoto: (compoundId: string, roundId: string, photoId: string) =>
    requestBlob(`${roundPath(compoundId, roundId)}/papers/${encodeURIComponent(photoId)}`),

  paperDisputes: (compoundId: string, roundId: string) => request<PaperDisputeView[]>(`${roundPath(compoundId, roundId)}/paper-disputes`),

  openPaperDisputes: (compoundId: string) => request<PaperDisputeView[]>(`${compoundPath(compoundId)}/paper-disputes?open=true`),

  disputePaper: (compoundId: string, roundId: string, householdId: string, reason: string) =>
    request<PaperDisputeView>(`${roundPath(compoundId, roundId)}/paper-disputes`, { method: 'POST', body: { householdId, reason } }),

  answerDispute: (compoundId: string, roundId: string, disputeId: string, answer: string) =>
    request<PaperDisputeView>(`${roundPath(compoundId, roundId)}/paper-disputes/${encodeURIComponent(disputeId)}/answer`, {
      method: 'POST',
      body: { answer },
    }),
};
