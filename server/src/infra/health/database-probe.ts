import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LOGGER } from '../logging/logger.module';

/** How long one answer is reused, so that many probes (several proxies, Kubernetes) cannot load the database. */
const CACHE_MS = 1500;
/** A write slower than this counts as failed: a probe must answer quickly. */
const WRITE_TIMEOUT_MS = 1000;
/**
 * Free space the embedded database's disk must keep: one WAL segment. Below it the next segment
 * cannot be created, and PostgreSQL stops with a PANIC rather than refusing one write.
 */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

export interface DatabaseState {
  database: 'up' | 'down';
  writable: boolean;
}

/**
 * Whether the database answers and can still write. `SELECT 1` alone said "up" while a full disk
 * made every write fail; this also commits a one-row upsert (health_probe) under a short
 * statement timeout. The upsert alone is not enough either: once its row exists, PostgreSQL
 * rewrites it within its page while every insert that needs a new page fails. So with the
 * embedded database, whose disk the node knows, the free space is checked too.
 * One probe runs at a time and its answer is cached briefly.
 */
@Injectable()
export class DatabaseProbe {
  private last: { at: number; state: Promise<DatabaseState> } | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  state(): Promise<DatabaseState> {
    if (!this.last || Date.now() - this.last.at > CACHE_MS) this.last = { at: Date.now(), state: this.probe() };
    return this.last.state;
  }

  private async probe(): Promise<DatabaseState> {
    const up = await within(this.db.query('SELECT 1'), WRITE_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    if (!up) return { database: 'down', writable: false };
    const writable = await within(
      this.db.transaction(async (m) => {
        await m.query(`SET LOCAL statement_timeout = ${WRITE_TIMEOUT_MS}`);
        await m.query(`INSERT INTO health_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at`);
      }),
      WRITE_TIMEOUT_MS + 500,
    ).then(
      () => true,
      (err: unknown) => {
        this.log.warn({ err }, 'the database answers but cannot write');
        return false;
      },
    );
    return { database: 'up', writable: writable && (await this.roomToWrite()) };
  }

  /** Whether the embedded database's disk has room for PostgreSQL to go on (always, with another database). */
  private async roomToWrite(): Promise<boolean> {
    if (!this.config.embeddedDatabase) return true;
    const fs = await statfs(join(this.config.dataDir, 'pg')).catch(() => null);
    if (!fs || fs.bavail * fs.bsize >= MIN_FREE_BYTES) return true;
    this.log.warn({ freeBytes: fs.bavail * fs.bsize }, 'the embedded database has no room left to write');
    return false;
  }
}

/** `p`, or a rejection after `ms`: a hung database must not hang the probe. */
export const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
