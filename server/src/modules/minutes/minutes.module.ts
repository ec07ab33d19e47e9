import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocumentsModule } from '../documents/documents.module';
import { MinutesController } from './minutes.controller';
import { MinutesService } from './minutes.service';

/** Minutes (会议纪要) of meetings: the co-edited text, the recorder, the automatic record built from stored events, closing into the audit chain, Markdown and PDF export. */
@Module({
  imports: [AuditModule, DocumentsModule],
  controllers: [MinutesController],
  providers: [MinutesService],
  exports: [MinutesService],
})
export class MinutesModule {}
