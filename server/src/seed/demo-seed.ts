import { addFundingLine, type Role } from '@yishi/shared';
import * as Y from 'yjs';
import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../modules/auth/password';
import { appendParagraphs } from './doc-content';

export const DEMO_PASSWORD = 'yishi2026';

export interface DemoAccount {
  login: string;
  phone: string;
  name: string;
  role: Role;
  /** "1号楼/1单元/201": the household a resident belongs to. */
  household?: string;
  organisation?: string;
  voter?: boolean;
  /** A party member (党员) of the compound: the story's branch counts its building-gate leaders. */
  partyMember?: boolean;
}

const ORGS = {
  property: { kind: 'property_company', name: '霞光物业服务有限公司' },
  rights: { kind: 'property_rights_unit', name: '35号院产权单位' },
  urban: { kind: 'street_department', name: '麦子店街道城市管理科' },
  building: { kind: 'street_department', name: '麦子店街道社区建设科' },
  branch: { kind: 'party_branch', name: '霞光里35号院楼院党支部' },
} as const;

/** One account for every role, so each part of the product can be tried at once. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: 'chair', phone: '13800000001', name: '张主任（居委会）', role: 'chair', partyMember: true },
  {
    login: 'gate1',
    phone: '13800000002',
    name: '李组长',
    role: 'gate_leader',
    household: '1号楼/1单元/101',
    voter: true,
    partyMember: true,
  },
  { login: 'resident1', phone: '13800000003', name: '王大爷', role: 'resident', household: '1号楼/1单元/201', voter: true },
  { login: 'resident2', phone: '13800000004', name: '赵阿姨', role: 'resident', household: '1号楼/1单元/301', voter: true },
  { login: 'resident3', phone: '13800000005', name: '陈先生', role: 'resident', household: '2号楼/1单元/101', voter: true },
  { login: 'property', phone: '13800000006', name: '刘经理（物业）', role: 'property_company', organisation: 'property' },
  { login: 'rights', phone: '13800000007', name: '周处长（产权单位）', role: 'property_rights_unit', organisation: 'rights' },
  { login: 'street1', phone: '13800000008', name: '吴科长（城管科）', role: 'street_department', organisation: 'urban' },
  { login: 'street2', phone: '13800000009', name: '郑科长（社区建设科）', role: 'street_department', organisation: 'building' },
  { login: 'observer', phone: '13800000010', name: '孙同志（列席）', role: 'observer' },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = ['秀英', '桂兰', '建国', '淑珍', '凤英', '玉兰', '国强', '志明', '丽华', '德明', '海燕', '卫东'];

/**
 * Seeds the demo of the seed story: 麦子店街道霞光里社区, 霞光里35号院 with 6 buildings of
 * 2 gates, 36 households with floor areas, its organisations and one account per role.
 * Runs only on an empty database. One owner holds two units and one unit has two co-owners,
 * so the head-count rules of Article 278 have something to show.
 */
export async function seedDemo(db: DataSource, passwordCost: number): Promise<boolean> {
  return db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(73551002)');
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM community');
    if (n > 0) return false;
    const passwordHash = await hashPassword(DEMO_PASSWORD, passwordCost);
    const [community] = await m.query(`INSERT INTO community (name, street) VALUES ('麦子店街道霞光里社区', '麦子店街道') RETURNING id`);
    const [compound] = await m.query(
      `INSERT INTO compound (community_id, name, address) VALUES ($1, '霞光里35号院', '北京市朝阳区麦子店街道霞光里35号') RETURNING id`,
      [community.id],
    );
    const orgIds: Record<string, string> = {};
    for (const [key, o] of Object.entries(ORGS)) {
      const [row] = await m.query(`INSERT INTO organisation (community_id, kind, name) VALUES ($1, $2, $3) RETURNING id`, [
        community.id,
        o.kind,
        o.name,
      ]);
      orgIds[key] = row.id;
    }

    const households = new Map<string, { id: string; gateId: string }>();
    let k = 0;
    for (let b = 1; b <= 6; b++) {
      const [building] = await m.query(`INSERT INTO building (compound_id, name, sort) VALUES ($1, $2, $3) RETURNING id`, [
        compound.id,
        `${b}号楼`,
        b,
      ]);
      for (let g = 1; g <= 2; g++) {
        const [gate] = await m.query(`INSERT INTO building_gate (building_id, name, sort) VALUES ($1, $2, $3) RETURNING id`, [
          building.id,
          `${g}单元`,
          g,
        ]);
        for (let floor = 1; floor <= 3; floor++) {
          const unit = `${floor}0${g}`;
          // Deterministic areas between 38 and 92 m², in 0.01 m².
          const area = 3800 + ((k * 7919) % 5400);
          const developerHeld = b === 6 && g === 2 && floor >= 2;
          const [h] = await m.query(
            `INSERT INTO household (compound_id, building_id, gate_id, unit, area_centi_m2, developer_held) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [compound.id, building.id, gate.id, unit, area, developerHeld],
          );
          households.set(`${b}号楼/${g}单元/${unit}`, { id: h.id, gateId: gate.id });
          k++;
        }
      }
    }

    // Owners: by default one per unit; demo residents own their units; a few special cases.
    const ownerOf = new Map<string, Array<{ name: string; phone: string | null }>>();
    let i = 0;
    for (const key of households.keys()) {
      const name = SURNAMES.charAt(i % SURNAMES.length) + GIVEN[i % GIVEN.length]!;
      ownerOf.set(key, [{ name, phone: `1391000${String(1000 + i).slice(-4)}` }]);
      i++;
    }
    for (const a of DEMO_ACCOUNTS) if (a.household) ownerOf.set(a.household, [{ name: a.name, phone: a.phone }]);
    ownerOf.set('3号楼/2单元/302', ownerOf.get('3号楼/1单元/101')!); // one owner, two units: counted once by head
    ownerOf.set('4号楼/1单元/201', [
      { name: '马建华', phone: '13910009001' },
      { name: '马丽', phone: '13910009002' },
    ]); // co-owners share one ballot
    ownerOf.set('6号楼/2单元/202', [{ name: '某房地产开发公司', phone: null }]);
    ownerOf.set('6号楼/2单元/302', [{ name: '某房地产开发公司', phone: null }]);
    await insertOwners(m, compound.id, households, ownerOf);

    for (const a of DEMO_ACCOUNTS) {
      const [user] = await m.query(
        `INSERT INTO app_user (username, phone, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
        [a.login, a.phone, a.name, passwordHash],
      );
      const h = a.household ? households.get(a.household)! : null;
      const orgId = a.organisation ? orgIds[a.organisation] : null;
      await m.query(
        `INSERT INTO membership (user_id, compound_id, role, household_id, gate_id, organisation_id, party_member) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [user.id, compound.id, a.role, h?.id ?? null, a.role === 'gate_leader' ? h!.gateId : null, orgId, a.partyMember ?? false],
      );
      if (orgId) await m.query(`INSERT INTO organisation_member (organisation_id, user_id) VALUES ($1, $2)`, [orgId, user.id]);
      if (h && a.voter) await m.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [user.id, h.id]);
      await m.query(`UPDATE owner SET user_id = $1 WHERE compound_id = $2 AND phone = $3`, [user.id, compound.id, a.phone]);
    }
    const rightsUnitId = orgIds.rights;
    if (!rightsUnitId) throw new Error('the demo organisations include no property rights unit');
    await seedBungalowProposal(m, compound.id, rightsUnitId);
    return true;
  });
}

async function insertOwners(
  m: EntityManager,
  compoundId: string,
  households: Map<string, { id: string }>,
  ownerOf: Map<string, Array<{ name: string; phone: string | null }>>,
): Promise<void> {
  const ids = new Map<string, string>();
  for (const [key, owners] of ownerOf) {
    for (const o of owners) {
      const identity = o.phone ?? o.name;
      let id = ids.get(identity);
      if (!id) {
        [{ id }] = await m.query(`INSERT INTO owner (compound_id, name, phone) VALUES ($1, $2, $3) RETURNING id`, [
          compoundId,
          o.name,
          o.phone,
        ]);
        ids.set(identity, id!);
      }
      await m.query(`INSERT INTO household_owner (household_id, owner_id) VALUES ($1, $2)`, [households.get(key)!.id, id]);
    }
  }
}

/**
 * The seed story's plan: renovating the 670 m² of dangerous bungalows, paid mostly by the
 * property-rights unit, with the upper level's support funds and the maintenance fund; the
 * rights unit's sign-off is required before it can be adopted. A draft: nothing frozen yet.
 */
async function seedBungalowProposal(m: EntityManager, compoundId: string, rightsUnitId: string): Promise<void> {
  const [chair] = await m.query(`SELECT id FROM app_user WHERE username = 'chair'`);
  const [proposal] = await m.query(
    `INSERT INTO proposal (compound_id, title, kind, owner_id, required_sign_offs) VALUES ($1, '霞光里35号院危旧平房改造方案', 'renovation', $2, $3) RETURNING id`,
    [compoundId, chair.id, [rightsUnitId]],
  );
  // Built here from the seed's own text (no client's bytes), so encoding it on the main thread is bounded.
  const doc = new Y.Doc();
  appendParagraphs(doc, [
    '拆除院内670平方米危旧平房，原址翻建为社区服务用房。',
    '改造资金由产权单位承担主体，上级拨付帮扶资金和维修资金补充，明细见资金方案。',
  ]);
  addFundingLine(doc, {
    category: '主体工程',
    description: '危旧平房拆除',
    quantityCenti: 67000,
    unit: 'm²',
    unitPriceFen: 8000,
    splits: { property_rights_unit: 5_360_000 },
  });
  addFundingLine(doc, {
    category: '主体工程',
    description: '原址翻建',
    quantityCenti: 67000,
    unit: 'm²',
    unitPriceFen: 120000,
    splits: { property_rights_unit: 65_000_000, government_subsidy: 15_400_000 },
  });
  addFundingLine(doc, {
    category: '设计监理',
    description: '房屋安全鉴定、设计与监理',
    amountFen: 3_200_000,
    splits: { maintenance_fund: 3_200_000 },
  });
  addFundingLine(doc, {
    category: '配套',
    description: '院内管线与照明',
    amountFen: 1_800_000,
    splits: { maintenance_fund: 1_000_000, party_service_fund: 800_000 },
  });
  await m.query(`INSERT INTO doc_update (doc_id, update, user_id) VALUES ($1, $2, $3)`, [
    proposal.id,
    Buffer.from(Y.encodeStateAsUpdate(doc)),
    chair.id,
  ]);
  doc.destroy();
}
