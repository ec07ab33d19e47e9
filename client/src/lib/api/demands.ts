import type {
  ChangeDemandStatusRequest,
  CreateDemandRequest,
  DemandCounts,
  DemandDetailView,
  DemandListQuery,
  DemandPage,
  SecondDemandRequest,
} from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath } from './paths';

const demandsPath = (compoundId: string) => `${compoundPath(compoundId)}/demands`;
const demandPath = (compoundId: string, demandId: string) => `${demandsPath(compoundId)}/${encodeURIComponent(demandId)}`;

/** 需求清单. */
export const demandsApi = {
  demands(compoundId: string, query: DemandListQuery) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return request<DemandPage>(`${demandsPath(compoundId)}?${params}`);
  },

  demandCounts: (compoundId: string) => request<DemandCounts>(`${demandsPath(compoundId)}/counts`),

  /** Records a demand; sent again with the same `clientKey`, answers with the one recorded the first time. */
  createDemand: (compoundId: string, body: CreateDemandRequest) =>
    request<DemandDetailView>(demandsPath(compoundId), { method: 'POST', body }),

  secondDemand: (compoundId: string, demandId: string, body: SecondDemandRequest) =>
    request<DemandDetailView>(`${demandPath(compoundId, demandId)}/seconds`, { method: 'POST', body }),

  demand: (compoundId: string, demandId: string) => request<DemandDetailView>(demandPath(compoundId, demandId)),

  demandPhoto: (compoundId: string, demandId: string, photoId: string) =>
    requestBlob(`${demandPath(compoundId, demandId)}/photos/${encodeURIComponent(photoId)}`),

  changeDemandStatus: (compoundId: string, demandId: string, body: ChangeDemandStatusRequest) =>
    request<DemandDetailView>(`${demandPath(compoundId, demandId)}/status`, { method: 'POST', body }),

  addDemandPhoto(compoundId: string, demandId: string, photo: Blob) {
    const form = new FormData();
    form.append('photo', photo, 'photo.jpg');
    return request<DemandDetailView>(`${demandPath(compoundId, demandId)}/photos`, { method: 'POST', body: form });
  },
};
