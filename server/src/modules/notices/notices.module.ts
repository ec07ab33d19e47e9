import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NoticesController, PublicNoticesController } from './notices.controller';
import { NoticesService } from './notices.service';

/** 公示: adopted decisions and finished projects published to the compound, with objections answered on the record. */
@Module({ imports: [AuditModule], controllers: [NoticesController, PublicNoticesController], providers: [NoticesService] })
export class NoticesModule {}
