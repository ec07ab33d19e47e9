import { DEMAND_CHANNELS, DEMAND_STATUSES, MEETING_KIND_TABLE, MEETING_KINDS, type StatisticsView } from '@yishi/shared';
import { csvDocument } from '../../infra/http/csv';

// The CSV is read by officials in a spreadsheet: Chinese labels (the demand list's zh-CN wording), one figure a line.
const STATUS_ZH: Record<(typeof DEMAND_STATUSES)[number], string> = {
  new: '新登记',
  handled_in_community: '社区自办',
  to_escalate: '待吹哨',
  in_deliberation: '协商中',
  became_project: '已立项',
  done: '已办结',
  declined: '已婉拒',
};
const CHANNEL_ZH: Record<(typeof DEMAND_CHANNELS)[number], string> = {
  home_visit: '入户走访',
  hotline_12345: '12345热线',
  forum: '座谈会',
  meeting: '议事会',
  online: '网上提交',
};

/** The figures as CSV: section, item, value (and the denominator where the figure is a share). */
export function statisticsCsv(s: StatisticsView): string {
  const rows: Array<Array<string | number>> = [
    ['范围', s.scope === 'community' ? '社区' : '小区', `${s.from} 至 ${s.to}`, ''],
    ...MEETING_KINDS.map((k) => ['会议', MEETING_KIND_TABLE[k].zh, s.meetingsByKind[k], '']),
    ['出席', `已结束会议 ${s.attendance.meetings} 次：受邀到会 / 受邀应到（按户；党员会议按党员）`, s.attendance.num, s.attendance.den],
    ['表决', '通过轮次 / 已结束轮次', s.rounds.passed, s.rounds.closed],
    ...DEMAND_STATUSES.map((k) => ['需求（状态）', STATUS_ZH[k], s.demandsByStatus[k], '']),
    ...DEMAND_CHANNELS.map((k) => ['需求（来源）', CHANNEL_ZH[k], s.demandsByChannel[k], '']),
    ['吹哨', '按期答复 / 吹哨总数', s.whistles.inTime, s.whistles.total],
    ['吹哨', '逾期答复', s.whistles.late, ''],
    ['吹哨', '尚未答复', s.whistles.unanswered, ''],
    ['项目', '已完成', s.projects.done, ''],
    ['项目', '已终止', s.projects.stopped, ''],
    ['项目', '进行中', s.projects.active, ''],
  ];
  return csvDocument(['类别', '项目', '数值', '分母'], rows);
}
