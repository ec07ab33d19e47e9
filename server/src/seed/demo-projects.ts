import type { DataSource, EntityManager } from 'typeorm';
import { seedDemands } from './demo-demands';

/** Figures the compound page shows and tests check: "9 projects, 6 done" as in the seed story. */
export const DEMO_PROJECT_COUNTS = { total: 9, active: 2, done: 6, stopped: 1 } as const;

const PARTNERS = [
  { name: '麦子店社区卫生服务中心', type: '社区卫生服务中心', contact: '010-6501 2345' },
  { name: '霞光科技有限公司', type: '辖区企业', contact: '行政部 刘女士 13910008800' },
];

interface SeedProject {
  title: string;
  /** The ledger's demand it grew from (seed/demo-demands, in deliberation there). */
  demand: string;
  status: 'active' | 'done' | 'stopped';
  stopReason?: string;
  /** Days ago it started (and, when ended, how many days it ran). */
  startedDaysAgo: number;
  ranDays?: number;
  milestones?: Array<{ title: string; dueInDays: number; done: boolean }>;
  updates?: string[];
  /** Acceptance answers by demo login. */
  answers?: Array<{ login: string; satisfied: boolean; comment?: string }>;
  resources?: string[];
  /** Titles of the story's meetings that discussed it (seed/demo-story), linked when they exist. */
  meetings?: string[];
}

const PROJECTS: SeedProject[] = [
  {
    title: '楼道照明改造',
    demand: '1号楼楼道灯不亮',
    status: 'done',
    startedDaysAgo: 300,
    ranDays: 40,
    milestones: [
      { title: '物业排查线路', dueInDays: -290, done: true },
      { title: '更换声控灯', dueInDays: -270, done: true },
    ],
    updates: ['物业已排查全部12个楼门的线路。', '声控灯全部换好，楼门长逐户回访。'],
    answers: [
      { login: 'resident2', satisfied: true, comment: '晚上回家踏实多了' },
      { login: 'resident3', satisfied: true },
      { login: 'gate1', satisfied: true },
    ],
    resources: ['党组织服务群众经费'],
  },
  {
    title: '院内停车自治管理',
    demand: '院内停车难，消防通道被占',
    status: 'done',
    startedDaysAgo: 280,
    ranDays: 90,
    updates: ['停车自管会成立，议定停车公约。'],
    answers: [
      { login: 'resident2', satisfied: true },
      { login: 'resident3', satisfied: false, comment: '晚上外来车辆还是多' },
    ],
    resources: ['居民停车自管会'],
  },
  {
    title: '垃圾分类驿站',
    demand: '垃圾桶满溢无人清运',
    status: 'done',
    startedDaysAgo: 240,
    ranDays: 60,
    answers: [{ login: 'resident2', satisfied: true }],
  },
  {
    title: '老年助餐点',
    demand: '老年人吃饭难',
    status: 'done',
    startedDaysAgo: 220,
    ranDays: 75,
    updates: ['与辖区企业食堂谈妥送餐，每周一至周五午餐。'],
    answers: [{ login: 'gate1', satisfied: true, comment: '饭菜软烂，适合老人' }],
    resources: ['活动室', '霞光科技有限公司食堂'],
  },
  {
    title: '老年活动室和健康义诊',
    demand: '缺少老年活动场所',
    status: 'done',
    startedDaysAgo: 200,
    ranDays: 30,
    answers: [{ login: 'resident3', satisfied: true }],
    resources: ['每月健康义诊', '活动室'],
  },
  {
    title: '院内绿化补种',
    demand: '绿地被占用种菜',
    status: 'done',
    startedDaysAgo: 150,
    ranDays: 45,
    updates: ['志愿者补种月季和冬青共120株。'],
    answers: [],
    resources: ['绿化志愿服务队'],
  },
  {
    title: '危旧平房改造',
    demand: '危旧平房屋顶漏雨',
    status: 'active',
    startedDaysAgo: 60,
    milestones: [
      { title: '房屋安全鉴定', dueInDays: -30, done: true },
      { title: '方案表决通过', dueInDays: 20, done: false },
      { title: '开工', dueInDays: 60, done: false },
      { title: '竣工验收', dueInDays: 180, done: false },
    ],
    updates: ['鉴定结论：C级危房，需翻建。'],
    resources: ['党组织服务群众经费'],
    meetings: ['第1次议事会：征集危旧平房改造需求', '第2次议事会：危旧平房改造方案表决', '第3次议事会：危旧平房改造方案（第二稿）'],
  },
  {
    title: '院内路面修补',
    demand: '院内路面坑洼',
    status: 'active',
    startedDaysAgo: 20,
    milestones: [
      { title: '标出破损路面', dueInDays: -5, done: true },
      { title: '分段修补主路', dueInDays: 15, done: false },
    ],
  },
  {
    title: '电动自行车集中充电棚',
    demand: '电动自行车飞线充电',
    status: 'stopped',
    stopReason: '选址紧邻2号楼窗户，楼里住户担心安全，未达成一致；回到协商，另选位置。',
    startedDaysAgo: 180,
    ranDays: 50,
  },
];

const DAY = 86_400_000;

/**
 * The seed story's resource ledger (an activity room, volunteer teams, gate leaders, a health
 * centre and a company nearby as partner units, party service funds) and its project list:
 * nine projects from demands heard on home visits, the hotline, forums and meetings; six done
 * with residents' acceptance, two under way with milestones, one stopped with its reason.
 * Each grew from a demand of the ledger (seed/demo-demands) that stood in deliberation: its moves
 * (became a project at the start; done, or back to deliberation, at the end) are recorded as
 * ProjectsService records them.
 */
export async function seedDemoProjects(m: EntityManager, compoundId: string, communityId: string): Promise<void> {
  const users = new Map<string, string>(
    (await m.query(`SELECT id, username FROM app_user`)).map((u: { id: string; username: string }) => [u.username, u.id]),
  );
  const chair = users.get('chair')!;
  const partners: string[] = [];
  for (const p of PARTNERS) {
    const [row] = await m.query(
      // The whistles seed names the same health centre: one organisation, whichever seed comes first.
      `INSERT INTO organisation (community_id, kind, name, partner_type, contact) VALUES ($1, 'partner_unit', $2, $3, $4) ON CONFLICT (community_id, kind, name) DO UPDATE SET partner_type = excluded.partner_type RETURNING id`,
      [communityId, p.name, p.type, p.contact],
    );
    partners.push(row.id);
  }
  const resources = new Map<string, string>();
  const resource = async (kind: string, name: string, availability: string, extra: Record<string, unknown> = {}) => {
    const [row] = await m.query(
      `INSERT INTO resource (compound_id, kind, name, organisation_id, amount_fen, source, availability, user_id, contact, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        compoundId,
        kind,
        name,
        extra.org ?? null,
        extra.amountFen ?? null,
        extra.source ?? null,
        availability,
        extra.userId ?? null,
        extra.contact ?? null,
        extra.notes ?? '',
        chair,
      ],
    );
    resources.set(name, row.id);
  };
  await resource('venue', '活动室', 'share', { contact: '居委会 张主任', notes: '60平方米，可容纳40人，工作日9:00–21:00开放' });
  await resource('venue', '中心庭院', 'share', { notes: '议事会、义诊、集市可用' });
  await resource('team', '绿化志愿服务队', 'provide', { notes: '院内14支志愿服务队之一，队员18人' });
  await resource('team', '党员服务队', 'provide', { notes: '在职党员回社区报到，每月第二个周六服务' });
  await resource('team', '平安巡逻队', 'provide', { notes: '每天19:00–21:00巡逻' });
  await resource('team', '居民停车自管会', 'provide', { notes: '居民推选7人，管理院内车位' });
  await resource('person', '李组长（1号楼1单元楼门长）', 'provide', { userId: users.get('gate1'), contact: '13800000002' });
  await resource('service', '每月健康义诊', 'provide', {
    org: partners[0],
    contact: PARTNERS[0]!.contact,
    notes: '量血压、测血糖、用药咨询',
  });
  await resource('service', '霞光科技有限公司食堂', 'share', { org: partners[1], notes: '工作日为院内老人供应午餐' });
  await resource('service', '轮椅借用', 'borrow', {
    contact: '居委会 张主任 13800000001',
    notes: '两台轮椅，老人就医、出行可借用，用后归还',
  });
  await resource('fund', '党组织服务群众经费', 'provide', { amountFen: 5_000_000, source: '党组织服务群众经费' });
  await resource('fund', '共建单位捐助', 'provide', { org: partners[1], amountFen: 2_000_000, source: '霞光科技有限公司' });
  const zones: Array<[string, string]> = [
    ['中心花坛', '绿化志愿服务队'],
    ['东侧停车区', '居民停车自管会'],
    ['北门至3号楼通道', '平安巡逻队'],
    ['活动室', '党员服务队'],
  ];
  for (const [space, team] of zones)
    await m.query(`INSERT INTO responsibility_zone (compound_id, space_name, team_resource_id) VALUES ($1, $2, $3)`, [
      compoundId,
      space,
      resources.get(team),
    ]);

  const now = Date.now();
  for (const p of PROJECTS) {
    const started = new Date(now - p.startedDaysAgo * DAY);
    const ended = p.ranDays ? new Date(started.getTime() + p.ranDays * DAY) : null;
    const [demand] = await m.query(`SELECT id, status FROM demand WHERE compound_id = $1 AND title = $2`, [compoundId, p.demand]);
    if (demand?.status !== 'in_deliberation') throw new Error(`the ledger has no demand "${p.demand}" in deliberation`);
    await moveDemand(m, demand.id, 'in_deliberation', 'became_project', `→ ${p.title}`, chair, started);
    if (ended && p.status !== 'active')
      await moveDemand(
        m,
        demand.id,
        'became_project',
        p.status === 'done' ? 'done' : 'in_deliberation',
        p.stopReason ?? null,
        chair,
        ended,
      );

    const [project] = await m.query(
      `INSERT INTO project (compound_id, title, status, stop_reason, owner_id, created_by, created_at, updated_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6::timestamptz, coalesce($7::timestamptz, $6::timestamptz), $7::timestamptz) RETURNING id`,
      [compoundId, p.title, p.status, p.stopReason ?? null, chair, started, ended],
    );
    await m.query(`INSERT INTO project_demand (project_id, demand_id) VALUES ($1, $2)`, [project.id, demand.id]);
    await event(m, project.id, 'created', p.title, chair, started);
    if (p.meetings)
      await m.query(
        `INSERT INTO project_meeting (project_id, meeting_id) SELECT $1, id FROM meeting WHERE compound_id = $2 AND title = ANY($3::text[])`,
        [project.id, compoundId, p.meetings],
      );
    for (const name of p.resources ?? [])
      await m.query(`INSERT INTO project_resource (project_id, resource_id) VALUES ($1, $2)`, [project.id, resources.get(name)]);
    for (const [i, ms] of (p.milestones ?? []).entries()) {
      const due = new Date(now + ms.dueInDays * DAY);
      await m.query(
        `INSERT INTO project_milestone (project_id, title, due_on, done_at, sort, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [project.id, ms.title, due.toISOString().slice(0, 10), ms.done ? due : null, i, started],
      );
      if (ms.done) await event(m, project.id, 'milestone_done', ms.title, chair, due);
    }
    for (const [i, note] of (p.updates ?? []).entries()) {
      const at = new Date(started.getTime() + (i + 1) * 7 * DAY);
      await m.query(`INSERT INTO project_update (project_id, note, author_id, created_at) VALUES ($1, $2, $3, $4)`, [
        project.id,
        note,
        chair,
        at,
      ]);
      await event(m, project.id, 'progress', note, chair, at);
    }
    if (ended) await event(m, project.id, p.status, p.stopReason ?? null, chair, ended);
    for (const a of p.answers ?? [])
      await m.query(`INSERT INTO project_acceptance (project_id, user_id, satisfied, comment, created_at) VALUES ($1, $2, $3, $4, $5)`, [
        project.id,
        users.get(a.login),
        a.satisfied,
        a.comment ?? '',
        new Date(ended!.getTime() + 3 * DAY),
      ]);
  }
}

async function moveDemand(m: EntityManager, id: string, from: string, to: string, note: string | null, actor: string, at: Date) {
  await m.query(`UPDATE demand SET status = $2, updated_at = $3 WHERE id = $1`, [id, to, at]);
  await m.query(
    `INSERT INTO demand_status_change (demand_id, from_status, to_status, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, from, to, note, actor, at],
  );
}

async function event(m: EntityManager, projectId: string, kind: string, note: string | null, actor: string, at: Date) {
  await m.query(`INSERT INTO project_event (project_id, kind, note, actor_id, at) VALUES ($1, $2, $3, $4, $5)`, [
    projectId,
    kind,
    note,
    actor,
    at,
  ]);
}

/**
 * The projects and resources of the demo story, in the demo compound (what the story seed and the
 * specs call), with the demand ledger they grew from (seeded first unless it already is).
 */
export async function seedProjects(db: DataSource): Promise<void> {
  const [ledger] = await db.query(`SELECT 1 FROM demand WHERE title = $1 LIMIT 1`, [PROJECTS[0]!.demand]);
  if (!ledger) await seedDemands(db);
  await db.transaction(async (m) => {
    const [c] = await m.query(`SELECT id, community_id FROM compound WHERE name = '霞光里35号院'`);
    await seedDemoProjects(m, c.id, c.community_id);
  });
}
