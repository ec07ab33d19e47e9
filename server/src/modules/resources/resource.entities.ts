import type { ResourceAvailability, ResourceKind } from '@yishi/shared';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 资源: a venue, team, person, service or fund, the compound's own or a partner unit's. */
@Entity('resource')
export class Resource {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) kind!: ResourceKind;
  @Column({ type: 'text' }) name!: string;
  /** null: internal to the compound. */
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  /** Funds only, in fen. bigint comes back from pg as a string. */
  @Column({ type: 'bigint', nullable: true }) amountFen!: string | null;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ type: 'text' }) availability!: ResourceAvailability;
  @Column({ type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ type: 'text', nullable: true }) contact!: string | null;
  @Column({ type: 'text' }) notes!: string;
  @Column({ type: 'uuid' }) createdBy!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) archivedAt!: Date | null;
}

/** 责任田: one of the compound's spaces, looked after by a team. */
@Entity('responsibility_zone')
export class ResponsibilityZone {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) compoundId!: string;
  @Column({ type: 'text' }) spaceName!: string;
  @Column({ type: 'uuid' }) teamResourceId!: string;
  @Column({ type: 'text' }) notes!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
