import type {
  HouseholdAreaView,
  ApiError,
  AuthTokens,
  CompoundView,
  CreateInvitationRequest,
  ErrorCode,
  FieldError,
  HouseholdView,
  ImportReport,
  InvitationView,
  JoinRequest,
  MembershipView,
  MemberView,
  MeView,
  SignInRequest,
  CommentView,
  CreateCommentRequest,
  CreateProposalRequest,
  DiffLine,
  MeetingView,
  ProposalView,
  RevisionView,
  ScheduleMeetingRequest,
  BallotReceipt,
  OpenRoundRequest,
  ReceiptView,
  RollCallEntry,
  RoundView,
  SignOffRequest,
  SignOffResult,
  SignOffStatusView,
  PaperDisputeView,
  PaperHouseholdView,
  EditGrantRequest,
  EditRightsView,
} from '@yishi/shared';
import { ERRORS } from '@yishi/shared';
import { readStorage, removeStorage, writeStorage } from './storage';

/**
 * The access token lives only in memory so a script injected into the page cannot lift it from
 * storage; the refresh token is kept in localStorage so a reload does not sign the user out.
 */
const REFRESH_TOKEN_KEY = 'yishi.refreshToken';
/** Refresh a little before the server's deadline so a request never races the expiry. */
const EXPIRY_MARGIN_MS = 15_000;

/** 'NETWORK' is the client's own code: the server never answered. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly fields: FieldError[];
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: ClientErrorCode, body?: Partial<ApiError>) {
    super(body?.message ?? code);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.fields = body?.fields ?? [];
    this.requestId = body?.requestId;
    this.details = body?.details;
  }
}

let access: { token: string; expiresAt: number } | null = null;
let refreshInFlight: Promise<boolean> | null = null;
let sessionLostListener: () => void = () => {};

/** Called when the server no longer accepts the session and refreshing could not revive it. */
export function onSessionLost(listener: () => void): void {
  sessionLostListener = listener;
}

/** Another tab signed out, removing the shared refresh token: this tab follows. */
export function onSignedOutElsewhere(listener: () => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === REFRESH_TOKEN_KEY && event.newValue === null) {
      access = null;
      listener();
    }
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}

export function hasStoredSession(): boolean {
  return readStorage(REFRESH_TOKEN_KEY) !== null;
}

export function acceptTokens(tokens: AuthTokens): void {
  access = { token: tokens.accessToken, expiresAt: Date.parse(tokens.accessTokenExpiresAt) };
  writeStorage(REFRESH_TOKEN_KEY, tokens.refreshToken);
}

/**
 * The access token for the socket's handshake, refreshed first when it is about to expire.
 * Null when signed out or when the server could not be asked (the socket retries later).
 */
export async function socketToken(): Promise<string | null> {
  try {
    if (!access || Date.now() > access.expiresAt - EXPIRY_MARGIN_MS) {
      if (!(await refreshSession())) return null;
    }
  } catch {
    return access?.token ?? null;
  }
  return access?.token ?? null;
}

/** The socket was refused with TOKEN_EXPIRED: the next handshake must use a new token. */
export function expireAccessToken(): void {
  if (access) access = { ...access, expiresAt: 0 };
}

export function forgetTokens(): void {
  access = null;
  removeStorage(REFRESH_TOKEN_KEY);
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

async function toError(res: Response): Promise<ApiRequestError> {
  let body: { error?: Partial<ApiError> } | null = null;
  try {
    body = (await res.json()) as { error?: Partial<ApiError> };
  } catch {
    // A proxy or a crashed server may answer without our JSON body.
  }
  const error = body?.error;
  if (error && isErrorCode(error.code)) return new ApiRequestError(res.status, error.code, error);
  const fallback: ErrorCode =
    res.status === 401 ? 'UNAUTHENTICATED'
    : res.status === 403 ? 'FORBIDDEN'
    : res.status === 404 ? 'NOT_FOUND'
    : res.status === 413 ? 'PAYLOAD_TOO_LARGE'
    : res.status === 429 ? 'RATE_LIMITED'
    : res.status === 502 || res.status === 503 || res.status === 504 ? 'UNAVAILABLE'
    : res.status >= 500 ? 'INTERNAL'
    : 'BAD_REQUEST';
  return new ApiRequestError(res.status, fallback, error ?? undefined);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Send the access token and refresh it when needed (everything except sign-in and joining). */
  auth?: boolean;
}

async function send(path: string, { method = 'GET', body, auth = true }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body; // the browser writes the multipart boundary itself
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (auth && access) headers.Authorization = `Bearer ${access.token}`;
  try {
    return await fetch(`/api${path}`, { method, headers, body: payload });
  } catch {
    throw new ApiRequestError(0, 'NETWORK');
  }
}

async function errorCodeOf(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as { error?: { code?: string } };
    return body.error?.code;
  } catch {
    return undefined;
  }
}

/**
 * Trades the stored refresh token for new tokens. Concurrent callers share one exchange: the
 * server rotates refresh tokens, so a second exchange with the same token would be refused.
 * Resolves false when the server refuses the token (the session is over); rejects when the
 * server could not be asked, so a flaky connection never signs anyone out.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= exchangeRefreshToken(true).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function exchangeRefreshToken(mayRetry: boolean): Promise<boolean> {
  const stored = readStorage(REFRESH_TOKEN_KEY);
  if (!stored) return false;
  const res = await send('/auth/refresh', { method: 'POST', body: { refreshToken: stored }, auth: false });
  if (res.ok) {
    acceptTokens((await res.json()) as AuthTokens);
    return true;
  }
  if (res.status >= 500 || res.status === 429) throw await toError(res);
  // Another tab may have rotated the token while this one was still asking with the old one.
  const now = readStorage(REFRESH_TOKEN_KEY);
  if (mayRetry && now !== null && now !== stored) return exchangeRefreshToken(false);
  forgetTokens();
  return false;
}

/** Sends with the access token; on TOKEN_EXPIRED refreshes once and sends again. */
async function sendAuthorised(path: string, options: RequestOptions): Promise<Response> {
  if (access && Date.now() > access.expiresAt - EXPIRY_MARGIN_MS) await refreshSession();
  const res = await send(path, options);
  if (res.status === 401 && (await errorCodeOf(res)) === 'TOKEN_EXPIRED' && (await refreshSession())) {
    return send(path, options);
  }
  return res;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  const res = auth ? await sendAuthorised(path, options) : await send(path, options);
  if (!res.ok) {
    const error = await toError(res);
    if (auth && res.status === 401) {
      forgetTokens();
      sessionLostListener();
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A request whose answer is a file (a PDF, a photo), not JSON. */
async function requestBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const res = await sendAuthorised(path, options);
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401) {
      forgetTokens();
      sessionLostListener();
    }
    throw error;
  }
  return res.blob();
}

function isImportReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && 'errors' in value && Array.isArray(value.errors);
}

const compoundPath = (compoundId: string) => `/compounds/${encodeURIComponent(compoundId)}`;
const roundPath = (compoundId: string, roundId: string) => `${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}`;
const proposalPath = (compoundId: string, proposalId: string) => `${compoundPath(compoundId)}/proposals/${encodeURIComponent(proposalId)}`;

export const api = {
  signIn: (body: SignInRequest) => request<AuthTokens>('/auth/sign-in', { method: 'POST', body, auth: false }),

  join: (body: JoinRequest) => request<AuthTokens>('/auth/join', { method: 'POST', body, auth: false }),

  /** Tells the server to end the session; the tokens are forgotten here whatever it answers. */
  async signOut(): Promise<void> {
    try {
      if (access || hasStoredSession()) await sendAuthorised('/auth/sign-out', { method: 'POST' });
    } catch {
      // Offline: the refresh token is forgotten below and expires on the server by itself.
    } finally {
      forgetTokens();
    }
  },

  redeem: (code: string) => request<MembershipView>('/invitations/redeem', { method: 'POST', body: { code } }),

  me: () => request<MeView>('/me'),

  compound: (compoundId: string) => request<CompoundView>(compoundPath(compoundId)),

  households: (compoundId: string) => request<HouseholdView[]>(`${compoundPath(compoundId)}/households`),

  members: (compoundId: string) => request<MemberView[]>(`${compoundPath(compoundId)}/members`),

  invitations: (compoundId: string) => request<InvitationView[]>(`${compoundPath(compoundId)}/invitations`),

  createInvitation: (compoundId: string, body: CreateInvitationRequest) =>
    request<InvitationView>(`${compoundPath(compoundId)}/invitations`, { method: 'POST', body }),

  revokeInvitation: (compoundId: string, invitationId: string) =>
    request<void>(`${compoundPath(compoundId)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),

  meetings: (compoundId: string) => request<MeetingView[]>(`${compoundPath(compoundId)}/meetings`),

  meeting: (compoundId: string, meetingId: string) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings/${encodeURIComponent(meetingId)}`),

  scheduleMeeting: (compoundId: string, body: ScheduleMeetingRequest) =>
    request<MeetingView>(`${compoundPath(compoundId)}/meetings`, { method: 'POST', body }),

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

  /** Households' floor areas (no names), for what each pays of the residents' share. */
  householdAreas: (compoundId: string) => request<HouseholdAreaView[]>(`${compoundPath(compoundId)}/household-areas`),

  comments: (compoundId: string, proposalId: string) => request<CommentView[]>(`${proposalPath(compoundId, proposalId)}/comments`),

  comment: (compoundId: string, proposalId: string, body: CreateCommentRequest) =>
    request<CommentView>(`${proposalPath(compoundId, proposalId)}/comments`, { method: 'POST', body }),

  reply: (compoundId: string, proposalId: string, threadId: string, body: string) =>
    request<CommentView>(`${proposalPath(compoundId, proposalId)}/comments/${encodeURIComponent(threadId)}/replies`, { method: 'POST', body: { body } }),

  resolveThread: (compoundId: string, proposalId: string, threadId: string, resolved: boolean) =>
    request<void>(`${proposalPath(compoundId, proposalId)}/comments/${encodeURIComponent(threadId)}/${resolved ? 'resolve' : 'reopen'}`, { method: 'POST' }),

  openRound: (compoundId: string, proposalId: string, body: OpenRoundRequest) =>
    request<RoundView>(`${proposalPath(compoundId, proposalId)}/rounds`, { method: 'POST', body }),

  rounds: (compoundId: string, proposalId: string) => request<RoundView[]>(`${proposalPath(compoundId, proposalId)}/rounds`),

  closeRound: (compoundId: string, roundId: string) =>
    request<RoundView>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/close`, { method: 'POST' }),

  rollCall: (compoundId: string, roundId: string) =>
    request<RollCallEntry[]>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/roll-call`),

  receipt: (compoundId: string, roundId: string, receipt: string) =>
    request<ReceiptView>(`${compoundPath(compoundId)}/rounds/${encodeURIComponent(roundId)}/receipts/${encodeURIComponent(receipt)}`),

  signOffs: (compoundId: string, proposalId: string) => request<SignOffStatusView>(`${proposalPath(compoundId, proposalId)}/sign-offs`),

  signOff: (compoundId: string, proposalId: string, revision: number, body: SignOffRequest) =>
    request<SignOffResult>(`${proposalPath(compoundId, proposalId)}/revisions/${revision}/sign-offs`, { method: 'POST', body }),

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

  paperPhoto: (compoundId: string, roundId: string, photoId: string) => requestBlob(`${roundPath(compoundId, roundId)}/papers/${encodeURIComponent(photoId)}`),

  paperDisputes: (compoundId: string, roundId: string) => request<PaperDisputeView[]>(`${roundPath(compoundId, roundId)}/paper-disputes`),

  openPaperDisputes: (compoundId: string) => request<PaperDisputeView[]>(`${compoundPath(compoundId)}/paper-disputes?open=true`),

  disputePaper: (compoundId: string, roundId: string, householdId: string, reason: string) =>
    request<PaperDisputeView>(`${roundPath(compoundId, roundId)}/paper-disputes`, { method: 'POST', body: { householdId, reason } }),

  answerDispute: (compoundId: string, roundId: string, disputeId: string, answer: string) =>
    request<PaperDisputeView>(`${roundPath(compoundId, roundId)}/paper-disputes/${encodeURIComponent(disputeId)}/answer`, { method: 'POST', body: { answer } }),

  /**
   * Checks (dryRun) or imports the owner register. A register with bad rows is answered with
   * 422 IMPORT_INVALID carrying the report; that is an expected outcome here, not a failure.
   */
  async importRegister(compoundId: string, file: File, dryRun: boolean, createBuildings: boolean): Promise<ImportReport> {
    const form = new FormData();
    form.append('file', file);
    const query = `dryRun=${dryRun}&createBuildings=${createBuildings}`;
    try {
      return await request<ImportReport>(`${compoundPath(compoundId)}/register/import?${query}`, { method: 'POST', body: form });
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'IMPORT_INVALID' && isImportReport(error.details)) {
        return error.details;
      }
      throw error;
    }
  },
};
