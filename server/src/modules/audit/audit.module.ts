import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The hash-chained audit log of every decision-relevant event, one chain per proposal. */
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
