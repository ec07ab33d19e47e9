/** The server's resource paths under /api, each id encoded once here. */
export const compoundPath = (compoundId: string) => `/compounds/${encodeURIComponent(compoundId)}`;
export const roundPath = (compoundId: string, roundId: string) => `${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}`;
export const proposalPath = (compoundId: string, proposalId: string) =>
  `${compoundPath(compoundId)}/proposals/${encodeURIComponent(proposalId)}`;
