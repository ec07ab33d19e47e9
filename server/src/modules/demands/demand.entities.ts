import type { DemandCategory, DemandChannel, DemandScope, DemandStatus } from '@yishi/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ListPhoto } from './list-photos';

/** 需求: a need raised by a resident or entered by a gate leader on someone's behalf. */
@Entity('demand')
export class Demand {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) scope!: DemandScope;
  @Column({ type: 'uuid', nullable: true }) buildingId!: string | null;
  @Column({ type: 'uuid', nullable: true }) gateId!: string | null;
  @Column({ type: 'text' }) category!: DemandCategory;
  @Column({ type: 'text' }) channel!: DemandChannel;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'uuid', nullable: true }) raisedBy!: string | null;
  @Column({ type: 'text', nullable: true }) raisedByName!: string | null;
  @Column({ type: 'uuid', nullable: true }) householdId!: string | null;
  @Column({ type: 'uuid' }) enteredBy!: string;
  @Column({ type: 'boolean' }) namedConsent!: boolean;
  @Column({ type: 'text' }) status!: DemandStatus;
  @Column({ type: 'text', nullable: true }) declineReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) clientKey!: string | null;
  @Column({ type: 'integer' }) seconds!: number;
  // search_grams is a generated column: written by PostgreSQL, read only in SQL.
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

/** One move of a demand's status (from null: its recording), with who and when. */
@Entity('demand_status_change')
export class DemandStatusChange {
  /** bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ type: 'uuid' }) demandId!: string;
  @Column({ type: 'text', nullable: true }) fromStatus!: DemandStatus | null;
  @Column({ type: 'text' }) toStatus!: DemandStatus;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'uuid' }) changedBy!: string;
  @Column({ type: 'timestamptz' }) changedAt!: Date;
}

/** 附议: one person's "me too". */
@Entity('demand_second')
export class DemandSecond {
  @PrimaryColumn('uuid') demandId!: string;
  @PrimaryColumn('uuid') userId!: string;
  @Column({ type: 'boolean' }) namedConsent!: boolean;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('demand_photo')
export class DemandPhoto extends ListPhoto {
  @Column({ type: 'uuid' }) demandId!: string;
}
