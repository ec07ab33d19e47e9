import type { ApiError, AuthTokens, ErrorCode, FieldError } from '@yishi/shared';
import { ERRORS } from '@yishi/shared';
import { readStorage, removeStorage, writeStorage } from '../storage';

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
    res.status === 401
      ? 'UNAUTHENTICATED'
      : res.status === 403
        ? 'FORBIDDEN'
        : res.status === 404
          ? 'NOT_FOUND'
          : res.status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : res.status === 429
              ? 'RATE_LIMITED'
              : res.status === 502 || res.status === 503 || res.status === 504
                ? 'UNAVAILABLE'
                : res.status >= 500
                  ? 'INTERNAL'
                  : 'BAD_REQUEST';
  return new ApiRequestError(res.status, fallback, error ?? undefined);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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
  // Opened offline (no access token yet): get one first. If the server still cannot be asked,
  // send anyway: the service worker may answer from its copy.
  else if (!access && hasStoredSession()) await refreshSession().catch(() => undefined);
  const res = await send(path, options);
  if (res.status === 401 && (await errorCodeOf(res)) === 'TOKEN_EXPIRED' && (await refreshSession())) {
    return send(path, options);
  }
  return res;
}

/**
 * A 401 ends the session, unless the request went without a token because the refresh could not
 * be made (opened offline, the network still flaky): then the stored session is still good.
 */
function sessionRefused(): boolean {
  return access !== null || !hasStoredSession();
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  const res = auth ? await sendAuthorised(path, options) : await send(path, options);
  if (!res.ok) {
    const error = await toError(res);
    if (auth && res.status === 401 && sessionRefused()) {
      forgetTokens();
      sessionLostListener();
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A request whose answer is a file (a PDF, a photo), not JSON. */
export async function requestBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const res = await sendAuthorised(path, options);
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && sessionRefused()) {
      forgetTokens();
      sessionLostListener();
    }
    throw error;
  }
  return res.blob();
}

/** Tells the server to end the session; the tokens are forgotten here whatever it answers. */
export async function endSession(): Promise<void> {
  try {
    if (access || hasStoredSession()) await sendAuthorised('/auth/sign-out', { method: 'POST' });
  } catch {
    // Offline: the refresh token is forgotten below and expires on the server by itself.
  } finally {
    forgetTokens();
  }
}
