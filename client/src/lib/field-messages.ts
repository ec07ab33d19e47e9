/**
 * The shared zod schemas word their field messages in English. Until they carry codes, the
 * Chinese screen translates the ones it knows and shows any other message as it came.
 */
const ZH: Record<string, string> = {
  required: '必填',
  'at least 8 characters': '至少 8 位',
  'at most 128 characters': '最多 128 个字符',
  'at most 40 characters': '最多 40 个字',
  '3 to 32 letters, digits, "_", "." or "-", starting with a letter': '用户名为 3 到 32 位字母、数字或 _ . -，以字母开头',
  'not a valid phone number': '不是有效的电话号码',
  'an invitation code has 8 letters and digits': '邀请码是 8 位字母和数字',
  'a phone number or a user name is required': '请填写手机号或用户名',
  'a household is required for this role': '这个身份需要选择住户',
  'a building gate is required for a gate leader': '楼门组长需要选择负责的楼门',
  'an organisation is required for this role': '这个身份需要选择单位',
  'only a household member can be its voter': '只有住户成员才能代表该户投票',
  'at least one building': '至少需要一栋楼',
  'say what the departments are asked to do': '请写明需要部门解决什么问题',
  'give a date and time': '请填写答复期限的日期和时间',
  'the deadline must be in the future': '答复期限须晚于现在',
  'the deadline must be within a year': '答复期限须在一年之内',
  'choose at least one department or partner unit': '请至少选择一个部门或共建单位',
  'write the answer': '请填写答复内容',
  'write the objection': '请写下您的异议',
  'give the reason': '请写明原因',
  'at least one day': '公示期至少 1 天',
  'at most 60 days': '公示期最多 60 天',
  'a notice publishes one adopted proposal or one project': '一份公示只能针对一个已通过的方案或一个项目',
};

export function translateFieldMessage(message: string, language: 'zh' | 'en'): string {
  return language === 'zh' ? (ZH[message] ?? message) : message;
}
