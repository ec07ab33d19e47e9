import type { DemandCategory, DemandChannel, DemandStatus } from '@yishi/shared';
import type { DataSource } from 'typeorm';

/**
 * The demo's demand ledger (需求清单): needs heard on the rounds of home visits (入户走访), from
 * the 12345 hotline, at forums and meetings and online, in every status. Its figures are fixed
 * (the compound page's counts are tested against them): 36 demands; by channel 14 home visits,
 * 8 hotline, 5 forum, 5 meeting, 4 online; 3 in each building; by status, as collected, 9 new,
 * 5 handled in the community, 4 to escalate, 13 in deliberation, 4 done, 1 declined. Nine of
 * those in deliberation are what the project list (demo-projects) grew from: once it is seeded,
 * 5 are in deliberation, 2 became projects and 10 are done (DEMO_DEMAND_STATUSES_WITH_PROJECTS).
 */
interface SeedDemand {
  title: string;
  body: string;
  category: DemandCategory;
  channel: DemandChannel;
  /** 1–6: the building (and its first gate when `gate`); null: the whole compound; 'community': the community. */
  building: number | null | 'community';
  gate?: boolean;
  status: DemandStatus;
  /** A demo login who raised it themself, or a name a gate leader wrote down (null: unnamed). */
  by: { login: string } | { name: string | null };
  consent: boolean;
  seconds: string[];
  daysAgo: number;
  decline?: string;
}

/**
 * One demand per line: title | text | category | channel | where | status | raised by | named |
 * seconded by | days ago [| reason declined]. Where: a building number (with "g": its first
 * gate), "-" for the whole compound, "community". Raised by: "@login" (a demo account raised it
 * themself), a name a gate leader wrote down, or "-" (nobody named). Seconded by: logins or "-".
 */
const LEDGER = `
1号楼楼道灯不亮 | 1单元二至四层楼道灯坏了半个月，老人晚上上下楼看不清。 | infrastructure | home_visit | 1g | in_deliberation | 钱奶奶 | yes | resident1,resident2 | 330
危旧平房屋顶漏雨 | 院内平房每逢下雨屋顶漏水，墙皮脱落，住户担心安全。 | safety | home_visit | - | in_deliberation | 孙大爷 | yes | resident1,resident2,resident3,gate1 | 320
院内停车难，消防通道被占 | 晚上外来车辆停在消防通道上，救护车进不来。 | parking | forum | - | in_deliberation | @resident3 | yes | resident1,resident2,gate1 | 300
电动自行车飞线充电 | 2号楼有住户从窗户拉线给电动车充电，存在火灾隐患，希望建集中充电桩。 | safety | hotline_12345 | 2 | in_deliberation | - | no | resident1,resident3 | 290
3号楼雨水管漏水 | 北侧雨水管破裂，下雨时一楼门口积水，老人出入不便。 | infrastructure | home_visit | 3g | done | 周阿姨 | no | resident2 | 280
老年人吃饭难 | 独居老人做饭不便，希望社区开设助餐点或送餐。 | elderly_care | home_visit | community | in_deliberation | 吴奶奶 | yes | resident1,resident2,resident3 | 270
楼道堆放杂物 | 4号楼楼道堆满纸箱和旧家具，影响通行也有消防隐患。 | safety | home_visit | 4 | done | 郑师傅 | yes | - | 260
垃圾桶满溢无人清运 | 院门口垃圾桶经常满了没人收，夏天味道很大。 | environment | hotline_12345 | - | in_deliberation | - | no | resident1,resident2,resident3 | 250
缺少老年活动场所 | 老人们只能在院子里站着聊天，希望有个能坐下来的活动室。 | elderly_care | meeting | - | in_deliberation | @resident1 | yes | resident2,gate1 | 240
下水道经常堵塞 | 5号楼1单元下水道一个月堵两三次，一楼住户家里返水。 | infrastructure | hotline_12345 | 5g | done | - | no | - | 230
院内路面坑洼 | 主路有好几处坑，下雨积水，老人推车容易绊倒。 | infrastructure | forum | - | in_deliberation | @resident2 | no | resident1,resident3 | 220
单元门禁损坏 | 6号楼2单元门禁坏了，陌生人随意进出。 | safety | home_visit | 6 | handled_in_community | 冯先生 | yes | - | 210
绿地被占用种菜 | 有人在楼前绿地圈地种菜，希望恢复绿化。 | greening | home_visit | 2 | in_deliberation | 韩阿姨 | no | resident3 | 200
希望加装电梯 | 5号楼六层住户多是老人，上下楼非常吃力，想了解加装电梯政策。 | infrastructure | meeting | 5 | in_deliberation | 许大爷 | yes | resident1,resident2,resident3,gate1 | 190
树枝遮挡窗户 | 楼前大杨树树枝伸到三楼窗户，屋里白天也很暗，还有飞絮。 | greening | hotline_12345 | 1 | to_escalate | - | no | resident1 | 180
院内无物业管理 | 原物业撤场后没人管，卫生、维修都没有着落。 | property_service | forum | - | in_deliberation | @gate1 | yes | resident1,resident2,resident3 | 170
晚上路灯太暗 | 院子东侧只有一盏路灯，晚上回家害怕。 | safety | online | - | done | @resident2 | yes | resident3 | 160
违建小房影响通行 | 有人在通道边私搭小房，车辆和轮椅过不去。 | safety | hotline_12345 | 3 | to_escalate | - | no | resident2,resident3 | 150
自行车棚年久失修 | 车棚顶棚漏雨，灯也不亮，自行车都生锈了。 | infrastructure | home_visit | - | in_deliberation | 曹师傅 | no | resident1 | 140
希望增加健身器材 | 院里没有健身器材，老人只能去很远的公园锻炼。 | neighbourhood | online | - | declined | @resident3 | no | - | 130 | 院内空地已规划为停车和消防通道，暂无安装位置；已推荐使用社区广场的器材。
外墙瓷砖脱落 | 6号楼外墙有瓷砖掉下来，差点砸到人。 | safety | hotline_12345 | 6 | to_escalate | - | no | resident1,resident2 | 120
楼道扶手松动 | 2号楼1单元扶手松了，老人扶着上楼很危险。 | elderly_care | home_visit | 2g | handled_in_community | 彭奶奶 | yes | - | 110
广场舞音响声音太大 | 晚上八点以后还在放音乐，影响孩子学习和老人休息。 | neighbourhood | forum | - | handled_in_community | - | no | resident3 | 100
快递没地方放 | 快递员把包裹堆在门口，经常丢件，希望设置快递柜。 | property_service | online | - | new | @resident1 | yes | resident2 | 90
暖气不热 | 4号楼顶层暖气一直不热，屋里只有十四五度。 | infrastructure | hotline_12345 | 4 | to_escalate | - | no | resident2 | 80
需要无障碍坡道 | 1号楼门口三级台阶，坐轮椅的老人出不了门。 | elderly_care | home_visit | 1 | in_deliberation | 林大爷 | yes | resident1,resident2 | 70
宠物粪便无人清理 | 遛狗不捡粪便，草地上到处都是。 | environment | meeting | - | handled_in_community | @resident2 | yes | resident1 | 60
晾衣绳被拆后没地方晾被子 | 希望在院内合适位置装公共晾衣架。 | neighbourhood | home_visit | 3 | new | 谢阿姨 | yes | - | 50
监控探头不够 | 院内只有大门口一个监控，电动车被偷找不回来。 | safety | meeting | - | new | 唐先生 | no | resident3 | 40
楼顶防水层老化 | 6号楼顶层住户反映天花板有水渍。 | infrastructure | home_visit | 6g | new | 潘先生 | no | - | 30
垃圾分类指导 | 很多老人不清楚怎么分类，希望有志愿者在桶站指导。 | environment | meeting | - | handled_in_community | @gate1 | yes | resident1 | 25
信报箱损坏 | 5号楼2单元信报箱门都坏了，信件经常丢。 | property_service | online | 5 | new | @resident3 | no | - | 20
独居老人需要定期探访 | 几位独居老人子女不在身边，希望志愿者定期上门看看。 | elderly_care | home_visit | community | new | 杜阿姨 | yes | resident1,resident2 | 14
儿童没有玩耍的地方 | 院里孩子多，只能在停车的地方跑，很危险。 | neighbourhood | forum | - | new | 叶女士 | yes | - | 9
井盖松动有响声 | 主路中间井盖车一压就响，晚上吵得睡不着。 | infrastructure | hotline_12345 | - | new | - | no | - | 5
老人需要助浴服务 | 行动不便的老人在家洗澡困难，希望有助浴上门服务。 | elderly_care | home_visit | 4 | new | 程奶奶 | yes | resident3 | 2
`;

export const DEMO_DEMANDS: SeedDemand[] = LEDGER.trim()
  .split('\n')
  .map((line) => {
    const [title, body, category, channel, where, status, by, named, seconds, daysAgo, decline] = line.split(' | ') as string[];
    const building = where === '-' ? null : where === 'community' ? 'community' : Number(where!.replace('g', ''));
    return {
      title: title!,
      body: body!,
      category: category as DemandCategory,
      channel: channel as DemandChannel,
      building,
      gate: where!.endsWith('g'),
      status: status as DemandStatus,
      by: by!.startsWith('@') ? { login: by!.slice(1) } : { name: by === '-' ? null : by! },
      consent: named === 'yes',
      seconds: seconds === '-' ? [] : seconds!.split(','),
      daysAgo: Number(daysAgo),
      decline,
    };
  });

/** The ledger's counts by status once the project list has carried its demands on. */
export const DEMO_DEMAND_STATUSES_WITH_PROJECTS: Readonly<Record<DemandStatus, number>> = {
  new: 9,
  handled_in_community: 5,
  to_escalate: 4,
  in_deliberation: 5,
  became_project: 2,
  done: 10,
  declined: 1,
};

/** The moves that led to each status (each one allowed by DEMAND_TRANSITIONS). */
const PATHS: Record<DemandStatus, DemandStatus[]> = {
  new: [],
  handled_in_community: ['handled_in_community'],
  to_escalate: ['to_escalate'],
  in_deliberation: ['in_deliberation'],
  became_project: ['in_deliberation', 'became_project'],
  done: ['handled_in_community', 'done'],
  declined: ['declined'],
};

/** Adds the ledger to the demo compound: the chair triaged each demand a few days after it came in. */
export async function seedDemands(db: DataSource): Promise<void> {
  await db.transaction(async (m) => {
    const [{ id: compoundId }] = await m.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`);
    const users = new Map<string, string>(
      (await m.query(`SELECT id, username FROM app_user WHERE username IS NOT NULL`)).map((u: { id: string; username: string }) => [
        u.username,
        u.id,
      ]),
    );
    const buildings: Array<{ id: string; name: string; gate_id: string }> = await m.query(
      `SELECT DISTINCT ON (b.id) b.id, b.name, g.id AS gate_id FROM building b JOIN building_gate g ON g.building_id = b.id
       WHERE b.compound_id = $1 ORDER BY b.id, g.sort, g.name`,
      [compoundId],
    );
    const building = (n: number) => buildings.find((b) => b.name === `${n}号楼`)!;
    const chair = users.get('chair')!;
    const gateLeader = users.get('gate1')!;
    for (const d of DEMO_DEMANDS) {
      const b = typeof d.building === 'number' ? building(d.building) : null;
      const raisedBy = 'login' in d.by ? users.get(d.by.login)! : null;
      const at = (days: number) => new Date(Date.now() - days * 86_400_000);
      const path = PATHS[d.status];
      const [row] = await m.query(
        `INSERT INTO demand (compound_id, scope, building_id, gate_id, category, channel, title, body, raised_by, raised_by_name,
                             entered_by, named_consent, status, decline_reason, seconds, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
        [
          compoundId,
          d.building === 'community' ? 'community' : 'compound',
          b?.id ?? null,
          b && d.gate ? b.gate_id : null,
          d.category,
          d.channel,
          d.title,
          d.body,
          raisedBy,
          'name' in d.by ? d.by.name : null,
          raisedBy ?? gateLeader,
          d.consent,
          d.status,
          d.decline ?? null,
          d.seconds.length,
          at(d.daysAgo),
          at(Math.max(0, d.daysAgo - 3 * path.length)),
        ],
      );
      await m.query(`INSERT INTO demand_status_change (demand_id, to_status, changed_by, changed_at) VALUES ($1, 'new', $2, $3)`, [
        row.id,
        raisedBy ?? gateLeader,
        at(d.daysAgo),
      ]);
      let from: DemandStatus = 'new';
      for (const [i, to] of path.entries()) {
        await m.query(
          `INSERT INTO demand_status_change (demand_id, from_status, to_status, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [row.id, from, to, to === 'declined' ? d.decline : null, chair, at(Math.max(0, d.daysAgo - 3 * (i + 1)))],
        );
        from = to;
      }
      for (const [i, login] of d.seconds.entries()) {
        await m.query(`INSERT INTO demand_second (demand_id, user_id, named_consent, created_at) VALUES ($1, $2, $3, $4)`, [
          row.id,
          users.get(login)!,
          i % 2 === 0,
          at(Math.max(0, d.daysAgo - 1)),
        ]);
      }
    }
  });
}
