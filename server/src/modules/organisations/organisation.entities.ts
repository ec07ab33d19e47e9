import type { OrganisationKind } from '@yishi/shared';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A property company, property-rights unit, street department, party branch or other partner unit (共建单位) of a community. */
@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) communityId!: string;
  @Column({ type: 'text' }) kind!: OrganisationKind;
  @Column({ type: 'text' }) name!: string;
  /** Partner units: what they are (社区卫生服务中心, 辖区企业…). */
  @Column({ type: 'text', nullable: true }) partnerType!: string | null;
  @Column({ type: 'text', nullable: true }) contact!: string | null;
}

@Entity('organisation_member')
export class OrganisationMember {
  @PrimaryColumn('uuid') organisationId!: string;
  @PrimaryColumn('uuid') userId!: string;
}
