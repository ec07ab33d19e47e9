import { Injectable } from '@nestjs/common';
import type { ErrorCode } from '@yishi/shared';
import { within } from '../health/database-probe';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const WORKER_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const BATCH = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * What /metrics shows (Prometheus, prom-client), one registry per application so that several
 * test servers in one process do not share numbers. The hot paths only observe numbers: labels
 * are a few fixed words (a worker operation, an error code, http or socket), never an id, and
 * the gauges are read when Prometheus scrapes, not kept up to date as things change.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** From a document update handed to the group commit to its batch being in the database. */
  readonly updateCommitSeconds = this.histogram('yishi_doc_update_commit_seconds', 'Document update: queued to committed', LATENCY_S);
  /** Updates written by one insert of the document group commit. */
  readonly updateBatchSize = this.histogram('yishi_doc_commit_batch_updates', 'Document updates per group-commit insert', BATCH);
  /** From a cast queued in the ballot batcher to its batch's transaction committed. */
  readonly ballotCommitSeconds = this.histogram('yishi_ballot_commit_seconds', 'Ballot: queued to committed', LATENCY_S);
  /** Casts written by one ballot transaction. */
  readonly ballotBatchSize = this.histogram('yishi_ballot_commit_batch_casts', 'Ballot casts per group-commit transaction', BATCH);

  private readonly workerOpSeconds = new Histogram({
    name: 'yishi_doc_worker_op_seconds',
    help: 'Time of one operation inside a document worker thread (apply validates an update)',
    labelNames: ['op'],
    buckets: WORKER_S,
    registers: [this.registry],
  });
  /** One child per operation, so an observation does not hash its labels. */
  private readonly workerOps = new Map<string, Histogram.Internal<'op'>>();

  private readonly errors = new Counter({
    name: 'yishi_errors_total',
    help: 'Errors answered, by catalogue code and by where (http or socket)',
    labelNames: ['code', 'via'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** One document worker operation took `ms` (as the worker measured it). */
  workerOp(op: string, ms: number): void {
    let child = this.workerOps.get(op);
    if (!child) this.workerOps.set(op, (child = this.workerOpSeconds.labels(op)));
    child.observe(ms / 1000);
  }

  error(code: ErrorCode, via: 'http' | 'socket'): void {
    this.errors.inc({ code, via });
  }

  /**
   * A gauge read at each scrape. A reading that fails or takes over a second (a database that
   * does not answer) shows as NaN rather than failing or holding up the scrape.
   */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await within(Promise.resolve().then(read), 1000).catch(() => NaN));
      },
    });
  }

  private histogram(name: string, help: string, buckets: number[]): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }
}
