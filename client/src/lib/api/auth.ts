import type { AuthTokens, JoinRequest, MembershipView, MeView, SignInRequest } from '@yishi/shared';
import { endSession, request } from './http';

/** Signing in, joining with an invitation code, signing out, and who the user is. */
export const authApi = {
  signIn: (body: SignInRequest) => request<AuthTokens>('/auth/sign-in', { method: 'POST', body, auth: false }),

  join: (body: JoinRequest) => request<AuthTokens>('/auth/join', { method: 'POST', body, auth: false }),

  signOut: endSession,

  redeem: (code: string) => request<MembershipView>('/invitations/redeem', { method: 'POST', body: { code } }),

  me: () => request<MeView>('/me'),
};
