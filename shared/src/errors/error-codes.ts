/**
 * The one error catalogue. Every error the server returns, over HTTP or in a socket ack, has a
 * code from here; the status is what HTTP answers with, the messages are what a user reads.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误，请检查标出的项目', en: 'Some fields are invalid' },
  BAD_REQUEST: { status: 400, zh: '请求无效', en: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  TOKEN_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired, please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号/用户名或密码不正确', en: 'Wrong phone number, user name or password' },
  FORBIDDEN: { status: 403, zh: '您在本小区的身份不能进行此操作', en: 'Your role in this compound does not allow this' },
  OUTSIDE_YOUR_GATE: { status: 403, zh: '只能为本楼门的住户办理', en: 'You can only act for households of your own building gate' },
  NOT_FOUND: { status: 404, zh: '找不到该内容', en: 'Not found' },
  CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'This conflicts with existing data' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册，请直接登录', en: 'This phone number is already registered; please sign in' },
  USERNAME_TAKEN: { status: 409, zh: '该用户名已被使用', en: 'This user name is taken' },
  ALREADY_MEMBER: { status: 409, zh: '您已经是本小区的该身份成员', en: 'You already hold this role in the compound' },
  INVITATION_INVALID: { status: 404, zh: '邀请码不存在，请核对', en: 'No such invitation code' },
  INVITATION_EXPIRED: {
    status: 410,
    zh: '邀请码已过期或已撤销，请向主持人索取新的邀请码',
    en: 'This invitation code has expired or was revoked',
  },
  INVITATION_USED_UP: { status: 410, zh: '邀请码已被使用', en: 'This invitation code has already been used' },
  MEETING_NOT_LIVE: { status: 409, zh: '会议尚未开始或已经结束', en: 'The meeting is not live' },
  MEETING_NOT_SCHEDULED: {
    status: 409,
    zh: '会议已开始、已结束或已取消，不能再这样修改',
    en: 'The meeting has already opened, ended or been cancelled',
  },
  NO_SPEAKER_WAITING: { status: 409, zh: '没有人举手', en: 'Nobody is waiting to speak' },
  NOT_FROZEN: {
    status: 409,
    zh: '方案尚未定稿，不能表决；请先冻结一个版本',
    en: 'Freeze a revision of the proposal before putting it to the vote',
  },
  REVISION_ALREADY_VOTED: {
    status: 409,
    zh: '该版本已经表决过，请修改方案并冻结新版本后再表决',
    en: 'This revision was already voted on; freeze a new revision first',
  },
  ROUND_ALREADY_OPEN: { status: 409, zh: '该方案已有正在进行的表决', en: 'A vote on this proposal is already open' },
  ROUND_CLOSED: { status: 409, zh: '表决已经结束，不能再投票', en: 'This vote has closed' },
  WRONG_REVISION: {
    status: 409,
    zh: '您看到的不是本轮表决的版本，请刷新后再投票',
    en: 'This is not the revision being voted on; reload and vote again',
  },
  NOT_ELIGIBLE: {
    status: 403,
    zh: '您不是该户的表决人或受托人，不能为其投票',
    en: 'You are not the voter or registered proxy of this household',
  },
  RULE_MISMATCH: {
    status: 400,
    zh: '表决规则与所选《民法典》第二百七十八条事项不符',
    en: 'The rule does not match the chosen item of Civil Code Art. 278',
  },
  MEETING_HOLDS_NO_VOTES: {
    status: 409,
    zh: '这类会议不进行表决（如党课、问计会），请在议事协商会等会议上表决',
    en: 'Meetings of this kind hold no votes (a party lesson, an advice-seeking meeting); vote in a deliberation meeting',
  },
  NOT_INVITED: {
    status: 403,
    zh: '本次会议不在您的邀请范围内，您可以旁听，不能签到、举手或发言',
    en: 'You are not among those this meeting invites: you may follow it, but not check in, raise a hand or chat',
  },
  NOT_MEETING_RULE: {
    status: 400,
    zh: '本次议事会已定表决规则，会上的表决须使用该规则',
    en: 'This meeting was scheduled with a rule; votes held in it must use that rule',
  },
  ZERO_AREA_ELECTORATE: {
    status: 422,
    zh: '参与表决的专有部分总面积为零，无法按《民法典》第二百七十八条计算，请先在业主名册中登记面积',
    en: 'The electorate has no exclusive area at all, so Civil Code Art. 278 cannot be applied; register the areas first',
  },
  SPLIT_STANCE: {
    status: 409,
    zh: '同一业主的多套房屋须持同一意见：您的其他房屋已投了不同的票',
    en: "One owner's units carry one stance: another unit of the same owner has a different ballot",
  },
  ROLL_CALL_AFTER_CLOSE: { status: 403, zh: '表决结束后才公布记名表决结果', en: 'The named roll-call is published when the vote closes' },
  FUNDING_UNBALANCED: {
    status: 422,
    zh: '资金方案未平衡：以下各项的分担合计与金额不符，不能定稿',
    en: 'The funding plan does not balance: the shares of these lines do not add up to their amounts, so it cannot be frozen',
  },
  NOT_YOUR_ORGANISATION: { status: 403, zh: '只能以本单位的名义签认', en: 'You can only sign off for your own organisation' },
  REVISION_NOT_LATEST: { status: 409, zh: '已有更新的定稿，请对最新定稿签认', en: 'A newer revision exists; sign off on the latest one' },
  SIGN_OFF_MISMATCH: {
    status: 422,
    zh: '签认金额与方案中本单位承担的金额不符',
    en: 'The amount signed for is not what the plan has this organisation pay on those lines',
  },
  PAPER_CODE_WRONG: {
    status: 403,
    zh: '选票码不对：请核对纸质选票上的码，并确认选择的住户',
    en: 'The ballot code is wrong: check the code on the paper and the household chosen',
  },
  PAPER_CODE_USED: { status: 409, zh: '这张纸质选票的码已经用过，不能再录入', en: 'The code of this ballot paper has already been used' },
  PAPER_NO_VOTER: {
    status: 409,
    zh: '该户在业主名册中没有登记业主，也没有指定表决人，不能发放或录入纸质选票',
    en: 'This household has no registered owner or designated voter, so it gets no ballot paper',
  },
  PAPER_DEVELOPER_HELD: { status: 409, zh: '开发商持有的房屋不发放纸质选票', en: 'Units held by the developer get no ballot paper' },
  PAPER_SIGNER_UNKNOWN: {
    status: 422,
    zh: '签字人必须是该户登记的业主、表决人或受托人',
    en: 'The signer must be a registered owner, the designated voter or the registered proxy of this household',
  },
  PAPER_OVER_ONLINE: {
    status: 409,
    zh: '该户已在网上投票，纸质票不能覆盖；表决人可以在网上修改',
    en: 'This household has voted online; a paper ballot cannot replace it (its voter can change it online)',
  },
  NOT_YOUR_HOUSEHOLD: { status: 403, zh: '只能对自己家的选票提出异议', en: 'You can only dispute the ballot of your own household' },
  DISPUTE_ANSWERED: { status: 409, zh: '该异议已经答复', en: 'This dispute has already been answered' },
  UPLOADS_BUSY: { status: 503, zh: '正在上传的照片太多，请稍后再试', en: 'Too many photos are being uploaded; please try again shortly' },
  DEMAND_TRANSITION: {
    status: 409,
    zh: '需求当前的状态不能改为所选状态',
    en: 'The demand cannot move from its current status to the one chosen',
  },
  ALREADY_SECONDED: { status: 409, zh: '您已经附议过这条需求', en: 'You have already seconded this demand' },
  DEMAND_OWN: { status: 409, zh: '这是您自己提出的需求，无需附议', en: 'This is your own demand; there is no need to second it' },
  DEMAND_CLOSED: {
    status: 409,
    zh: '这条需求已办结或已婉拒，不能再附议或补充',
    en: 'This demand is done or declined; it takes no more seconds or photos',
  },
  TOO_MANY_PHOTOS: { status: 422, zh: '每条需求最多六张照片', en: 'A demand has at most six photos' },
  PROPOSAL_ADOPTED: {
    status: 409,
    zh: '方案已经通过生效，不能再修改、定稿、表决或签认；如需修改，请发起修正案',
    en: 'This proposal has been adopted and is final; to change it, start an amendment',
  },
  PROPOSAL_STATUS: { status: 409, zh: '方案当前所处的阶段不允许此操作', en: 'The proposal is not at a stage that allows this' },
  PROJECT_ENDED: { status: 409, zh: '该项目已经结束，不能再更改', en: 'This project has ended and can no longer change' },
  PROJECT_NOT_DONE: { status: 409, zh: '项目完成后才能验收', en: 'A project can be checked only once it is done' },
  ALREADY_ACCEPTED: { status: 409, zh: '您已经对这个项目作过满意度评价', en: 'You have already answered the satisfaction check' },
  EMPTY_PROPOSAL: { status: 422, zh: '方案正文是空的，不能定稿或表决', en: 'The proposal has no text; it cannot be frozen or voted on' },
  NO_FUNDING_PLAN: { status: 422, zh: '该版本没有资金方案，无需签认', en: 'This revision has no funding plan to sign' },
  SIGN_OFF_NOT_ASKED: {
    status: 422,
    zh: '该方案没有要求本单位出资，本单位无需签认',
    en: 'Your organisation is not asked to sign this plan',
  },
  IMPORT_INVALID: { status: 422, zh: '名册中有错误的行，未导入任何内容', en: 'The register has invalid rows; nothing was imported' },
  OUT_OF_SYNC: {
    status: 409,
    zh: '这次编辑基于服务器还没有的内容，正在重新同步后再发送',
    en: 'This edit builds on changes the server does not have yet; syncing again and resending',
  },
  TOO_MANY_CONNECTIONS: {
    status: 429,
    zh: '同时打开的连接太多，请关闭其他页面或设备后再试',
    en: 'Too many open connections; close other tabs or devices and try again',
  },
  WHISTLE_STATUS: {
    status: 409,
    zh: '吹哨事项当前的进度不允许这一步（须先报到、再答复，已办结的不能再改）',
    en: 'The whistle is not at a step that allows this (report first, then answer; a resolved one is closed)',
  },
  NOTICE_NOT_READY: {
    status: 409,
    zh: '只能公示已通过生效的方案或已完成的项目',
    en: 'Only an adopted proposal or a finished project can be published as a notice',
  },
  NOTICE_EXISTS: {
    status: 409,
    zh: '这项决定已经在公示中，如需重新公示请先撤回',
    en: 'This is already published; withdraw the notice first',
  },
  NOTICE_CLOSED: {
    status: 409,
    zh: '公示期已结束，不能再提出异议',
    en: 'The objection period of this notice has ended; objections are no longer taken',
  },
  NOTICE_WITHDRAWN: { status: 409, zh: '这份公示已撤回', en: 'This notice has been withdrawn' },
  ALREADY_ANSWERED: { status: 409, zh: '这条异议已经答复过了', en: 'This objection has already been answered' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大', en: 'The payload is too large' },
  RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试', en: 'Too many requests, please wait a moment' },
  INTERNAL: { status: 500, zh: '服务器出错了，请稍后再试', en: 'Something went wrong on the server' },
  UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'The service is unavailable' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** One failing field of a request: the path into the payload and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** The body of every error answer, and the `error` of every failed socket ack. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
  requestId?: string;
  /** Extra detail for the caller, e.g. the bad rows of a register import. */
  details?: unknown;
}
