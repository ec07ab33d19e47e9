import type { ProjectStatus } from '@yishi/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ListPhoto } from '../demands/list-photos';

/** 项目: what deliberation made of one or more demands, carried to done or stopped. */
@Entity('project')
export class Project {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) summary!: string;
  @Column({ type: 'text' }) status!: ProjectStatus;
  @Column({ type: 'text', nullable: true }) stopReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) ownerId!: string | null;
  @Column({ type: 'uuid', nullable: true }) adoptedProposalId!: string | null;
  @Column({ type: 'uuid' }) createdBy!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
  /** When it became done or stopped. */
  @Column({ type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}

@Entity('project_meeting')
export class ProjectMeeting {
  @PrimaryColumn('uuid') projectId!: string;
  @PrimaryColumn('uuid') meetingId!: string;
}

@Entity('project_demand')
export class ProjectDemand {
  @PrimaryColumn('uuid') projectId!: string;
  @PrimaryColumn('uuid') demandId!: string;
}

@Entity('project_resource')
export class ProjectResource {
  @PrimaryColumn('uuid') projectId!: string;
  @PrimaryColumn('uuid') resourceId!: string;
  @Column({ type: 'text' }) note!: string;
}

@Entity('project_milestone')
export class ProjectMilestone {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) title!: string;
  /** A calendar date, 'YYYY-MM-DD'. */
  @Column({ type: 'date' }) dueOn!: string;
  @Column({ type: 'timestamptz', nullable: true }) doneAt!: Date | null;
  @Column({ type: 'integer' }) sort!: number;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}

/** A progress note, with photos in project_update_photo. */
@Entity('project_update')
export class ProjectUpdate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) note!: string;
  @Column({ type: 'uuid' }) authorId!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('project_update_photo')
export class ProjectUpdatePhoto extends ListPhoto {
  @Column({ type: 'uuid' }) updateId!: string;
}

/** A resident's satisfaction check of a finished project: one per person. */
@Entity('project_acceptance')
export class ProjectAcceptance {
  @PrimaryColumn('uuid') projectId!: string;
  @PrimaryColumn('uuid') userId!: string;
  @Column({ type: 'boolean' }) satisfied!: boolean;
  @Column({ type: 'text' }) comment!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
