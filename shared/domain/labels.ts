// The Chinese names of the platform's codes that people read in reports, exports and the console.
// Typed against the domain's code lists so that a new code without a name fails the type check.
import type { CaseStatus, ReferralStatus } from './case/case.js';
import type { Outcome, ReturnReason } from './lifecycle/referral.js';
import type { Department, Need, Urgency } from './model.js';

export const NEED_LABELS: Record<Need | 'manual_triage', string> = {
  legal_aid: '法律援助与法律服务',
  psychological_support: '心理辅导与精神慰藉',
  health_screening: '健康筛查与健康服务',
  social_assistance: '社会救助与帮扶',
  safety_protection: '人身安全保护',
  employment_training: '就业创业与技能培训',
  family_education: '家庭教育与子女监护',
  manual_triage: '待人工分拣',
};

export const DEPARTMENT_LABELS: Record<Department | 'manual_triage', string> = {
  civil_affairs: '民政',
  public_security: '公安',
  justice: '司法',
  finance: '财政',
  hrss: '人力资源和社会保障',
  agriculture: '农业农村',
  culture_tourism: '文化和旅游',
  health: '卫生健康',
  sports: '体育',
  rural_revitalization: '乡村振兴',
  wccw: '妇儿工委办',
  womens_federation: '妇联',
  disabled_federation: '残联',
  manual_triage: '人工分拣',
};

export const URGENCY_LABELS: Record<Urgency, string> = { emergency: '紧急', urgent: '较急', routine: '一般' };

export const STATUS_LABELS: Record<ReferralStatus, string> = {
  referred: '待签收',
  accepted: '已签收',
  returned: '已退回',
  resolved: '已办结',
  closed: '已关闭',
  reopened: '已重新打开',
  cancelled: '已撤销',
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = { open: '处理中', not_referred: '未转介', closed: '已结案' };

export const OUTCOME_LABELS: Record<Outcome, string> = {
  service_provided: '已提供服务',
  referred_elsewhere: '已转其他机构',
  client_declined: '本人拒绝',
  unreachable: '联系不上',
  not_eligible: '不符合条件',
  other: '其他',
};

export const RETURN_REASON_LABELS: Record<ReturnReason, string> = {
  not_our_function: '不属于本部门职责',
  not_our_jurisdiction: '不属于本辖区',
};
