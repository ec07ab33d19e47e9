import type { RollCallEntry } from '@yishi/shared';
import { csvDocument } from '../../infra/http/csv';

const CHOICE_ZH = { for: '赞成', against: '反对', abstain: '弃权' } as const;

/** The named roll-call as CSV, one household a line; UTF-8 with a BOM so spreadsheets read the Chinese. */
export function rollCallCsv(rows: RollCallEntry[]): string {
  const header = [
    '户',
    '面积(m²)',
    '表决',
    '时间',
    '表决人',
    '受托',
    '代录',
    '代录人',
    '纸质凭证',
    '签字人',
    '异议未答复',
    '修改次数',
    '理由',
    '回执',
  ];
  const lines = rows.map((r) => [
    r.label,
    `${Math.floor(r.areaCentiM2 / 100)}.${String(r.areaCentiM2 % 100).padStart(2, '0')}`,
    r.choice ? CHOICE_ZH[r.choice] : '未投票',
    r.castAt,
    r.voterName,
    r.viaProxy ? '是' : '',
    r.assisted ? '是' : '',
    r.recordedByName,
    r.hasPaper ? '有' : '',
    r.paper?.signerName ?? null,
    r.disputed ? '是' : '',
    r.changes,
    r.reason,
    r.receipt,
  ]);
  return csvDocument(header, lines);
}
