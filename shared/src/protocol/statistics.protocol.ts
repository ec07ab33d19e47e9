import { z } from 'zod';
import type { MeetingKind } from '../domain/meeting-kinds';
import type { DemandChannel, DemandStatus } from './lists.protocol';

const isoDate = z.iso.date();

/**
 * GET /api/compounds/:compoundId/statistics (and statistics.csv): the record in figures over a
 * date range, both ends included, as days in China time. `scope: community` adds up every
 * compound of the compound's community (the chair only).
 */
export const statisticsQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    scope: z.enum(['compound', 'community']).default('compound'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !(Date.parse(q.to) - Date.parse(q.from) > 10 * 366 * 86_400_000), { path: ['from'], message: 'at most ten years' });
export type StatisticsQuery = z.input<typeof statisticsQuerySchema>;

/** A share kept as its two integers; the reader divides (no rounding happens on the server). */
export interface Ratio {
  num: number;
  den: number;
}

export interface StatisticsView {
  scope: 'compound' | 'community';
  /** The compounds counted (one, or all of the community's). */
  compounds: number;
  from: string;
  to: string;
  /** Meetings held or scheduled in the range, cancelled ones left out; every kind present, zero or not. */
  meetingsByKind: Record<MeetingKind, number>;
  /**
   * Adjourned meetings: the invited present against the invited, each once per meeting. A meeting
   * of everyone or of the residents invites its compound's households; a party meeting its
   * party members (people who checked in, not households).
   */
  attendance: { meetings: number } & Ratio;
  /** Rounds closed in the range, and those that passed. */
  rounds: { closed: number; passed: number };
  demandsByStatus: Record<DemandStatus, number>;
  demandsByChannel: Record<DemandChannel, number>;
  /** Whistles blown in the range: answered by every target before the deadline, after it, or not yet. */
  whistles: { total: number; inTime: number; late: number; unanswered: number };
  /** Projects ended done in the range, and the ones still active now. */
  projects: { done: number; stopped: number; active: number };
}
