import { Module } from '@nestjs/common';
import { DocStore } from './doc-store.service';

/** Durable Yjs documents: the update log, group commit, snapshots, compaction, memory. */
@Module({ providers: [DocStore], exports: [DocStore] })
export class DocsModule {}
