import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocStore } from './doc-store.service';

/** Durable Yjs documents: bounded work in worker threads, the update log with group commit, quarantine, compaction. */
@Module({ imports: [AuditModule], providers: [DocStore], exports: [DocStore] })
export class DocumentsModule {}
