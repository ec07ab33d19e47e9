import type { CreateResourceRequest, ResourceListQuery, ResourcePage, ResourceView, ZoneRequest, ZoneView } from '@yishi/shared';
import { request } from './http';
import { compoundPath } from './paths';
import { listQuery } from './projects';

/** 资源清单 and 责任田. */
export const resourcesApi = {
  resources: (compoundId: string, q: ResourceListQuery = {}) =>
    request<ResourcePage>(`${compoundPath(compoundId)}/resources${listQuery(q as Record<string, string | number | undefined>)}`),

  createResource: (compoundId: string, body: CreateResourceRequest) =>
    request<ResourceView>(`${compoundPath(compoundId)}/resources`, { method: 'POST', body }),

  updateResource: (compoundId: string, resourceId: string, body: CreateResourceRequest) =>
    request<ResourceView>(`${compoundPath(compoundId)}/resources/${resourceId}`, { method: 'PUT', body }),

  archiveResource: (compoundId: string, resourceId: string) =>
    request<ResourceView>(`${compoundPath(compoundId)}/resources/${resourceId}/archive`, { method: 'POST' }),

  zones: (compoundId: string) => request<ZoneView[]>(`${compoundPath(compoundId)}/zones`),

  createZone: (compoundId: string, body: ZoneRequest) => request<ZoneView>(`${compoundPath(compoundId)}/zones`, { method: 'POST', body }),

  deleteZone: (compoundId: string, zoneId: string) => request<void>(`${compoundPath(compoundId)}/zones/${zoneId}`, { method: 'DELETE' }),
};
