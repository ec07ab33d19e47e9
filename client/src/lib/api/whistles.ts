import type { BlowWhistleRequest, WhistleListQuery, WhistleView } from '@yishi/shared';
import { request } from './http';
import { compoundPath } from './paths';

const whistlePath = (compoundId: string, whistleId: string) => `${compoundPath(compoundId)}/whistles/${encodeURIComponent(whistleId)}`;

/** 吹哨: the caller's queue, one whistle with its history, and each step. */
export const whistlesApi = {
  whistles: (compoundId: string, query: WhistleListQuery = {}) => {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const qs = params.toString();
    return request<WhistleView[]>(`${compoundPath(compoundId)}/whistles${qs ? `?${qs}` : ''}`);
  },
  whistle: (compoundId: string, whistleId: string) => request<WhistleView>(whistlePath(compoundId, whistleId)),
  blowWhistle: (compoundId: string, body: BlowWhistleRequest) =>
    request<WhistleView>(`${compoundPath(compoundId)}/whistles`, { method: 'POST', body }),
  acceptWhistle: (compoundId: string, whistleId: string, organisationId: string) =>
    request<WhistleView>(`${whistlePath(compoundId, whistleId)}/accept`, { method: 'POST', body: { organisationId } }),
  answerWhistle: (compoundId: string, whistleId: string, organisationId: string, answer: string) =>
    request<WhistleView>(`${whistlePath(compoundId, whistleId)}/answer`, { method: 'POST', body: { organisationId, answer } }),
  resolveWhistle: (compoundId: string, whistleId: string, note?: string) =>
    request<WhistleView>(`${whistlePath(compoundId, whistleId)}/resolve`, { method: 'POST', body: { note } }),
  reopenWhistle: (compoundId: string, whistleId: string, note?: string) =>
    request<WhistleView>(`${whistlePath(compoundId, whistleId)}/reopen`, { method: 'POST', body: { note } }),
};
