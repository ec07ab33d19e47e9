import type { WhistleEventKind, WhistleStatus } from '@yishi/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** 吹哨: a demand or a project's blocker escalated to departments or partner units, with a deadline. */
@Entity('whistle')
export class Whistle {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  /** Exactly one of demandId and projectId is set. */
  @Column({ type: 'uuid', nullable: true }) demandId!: string | null;
  @Column({ type: 'uuid', nullable: true }) projectId!: string | null;
  @Column({ type: 'text' }) question!: string;
  @Column({ type: 'timestamptz' }) deadline!: Date;
  @Column({ type: 'text' }) status!: WhistleStatus;
  @Column({ type: 'uuid' }) createdBy!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
}

/** One organisation a whistle was blown to: its 报到 (accepted) and its answer. */
@Entity('whistle_target')
export class WhistleTarget {
  @PrimaryColumn('uuid') whistleId!: string;
  @PrimaryColumn('uuid') organisationId!: string;
  @Column({ type: 'timestamptz', nullable: true }) acceptedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) acceptedBy!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) answeredAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) answeredBy!: string | null;
  @Column({ type: 'text', nullable: true }) answer!: string | null;
}

@Entity('whistle_event')
export class WhistleEvent {
  /** bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ type: 'uuid' }) whistleId!: string;
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  @Column({ type: 'text' }) kind!: WhistleEventKind;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'uuid' }) actorId!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
}
