import type {
  AcceptanceRequest,
  CreateProjectRequest,
  DemandProjects,
  EndProjectRequest,
  MilestoneRequest,
  ProjectCounts,
  ProjectDetailView,
  ProjectListQuery,
  ProjectPage,
  UpdateProjectRequest,
} from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath } from './paths';

const query = (q: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

/** 项目清单: the list, its counts, a project with its timeline, and each step of its life. */
export const projectsApi = {
  projects: (compoundId: string, q: ProjectListQuery = {}) =>
    request<ProjectPage>(`${compoundPath(compoundId)}/projects${query(q as Record<string, string | number | undefined>)}`),

  projectCounts: (compoundId: string) => request<ProjectCounts>(`${compoundPath(compoundId)}/project-counts`),

  demandProjects: (compoundId: string, demandIds: string[]) =>
    request<DemandProjects[]>(`${compoundPath(compoundId)}/demand-projects${query({ demandIds: demandIds.join(',') })}`),

  project: (compoundId: string, projectId: string) => request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}`),

  createProject: (compoundId: string, body: CreateProjectRequest) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects`, { method: 'POST', body }),

  updateProject: (compoundId: string, projectId: string, body: UpdateProjectRequest) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}`, { method: 'PATCH', body }),

  addMilestone: (compoundId: string, projectId: string, body: MilestoneRequest) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/milestones`, { method: 'POST', body }),

  reachMilestone: (compoundId: string, projectId: string, milestoneId: string) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/milestones/${milestoneId}/done`, { method: 'POST' }),

  addProgress: (compoundId: string, projectId: string, note: string) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/updates`, { method: 'POST', body: { note } }),

  /** A photo of a progress note; answers with the project as it now stands. */
  addProgressPhoto(compoundId: string, projectId: string, updateId: string, photo: Blob) {
    const form = new FormData();
    form.append('photo', photo, 'photo.jpg');
    return request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/updates/${updateId}/photos`, {
      method: 'POST',
      body: form,
    });
  },

  projectPhoto: (compoundId: string, projectId: string, photoId: string) =>
    requestBlob(`${compoundPath(compoundId)}/projects/${projectId}/photos/${encodeURIComponent(photoId)}`),

  endProject: (compoundId: string, projectId: string, body: EndProjectRequest) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/end`, { method: 'POST', body }),

  acceptProject: (compoundId: string, projectId: string, body: AcceptanceRequest) =>
    request<ProjectDetailView>(`${compoundPath(compoundId)}/projects/${projectId}/acceptance`, { method: 'POST', body }),
};

export { query as listQuery };
