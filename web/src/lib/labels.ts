// What caseworkers read: the platform's codes in Simplified Chinese. Typed against the domain's
// code lists so that a new code without a label fails the type check.
import { LIFECYCLE_EVENT_LABELS } from '../../../shared/domain/lifecycle/catalogue.js';
import type { ActorRole, Channel } from '../../../shared/domain/model.js';

// Needs, departments and urgencies are named once, for the server's reports and this bundle alike.
export { CASE_STATUS_LABELS, DEPARTMENT_LABELS, NEED_LABELS, OUTCOME_LABELS, RETURN_REASON_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../../../shared/domain/labels.js';

/** Staff roles, and the other actors events record. */
export const ROLE_LABELS: Record<ActorRole | 'operator' | 'channel' | 'system', string> = {
  caseworker: '工作人员',
  supervisor: '主管',
  coordinator: '协调员',
  admin: '管理员',
  ledger_officer: '台账专管员',
  operator: '接线员',
  channel: '求助渠道',
  system: '系统',
};

export const CHANNEL_LABELS: Record<Channel, string> = { '12338': '12338 妇女维权热线', '12348': '12348 公共法律服务热线', web: '网上求助', visit: '入户走访' };

/** How the case history names each event: the lifecycle's from its catalogue, the others here. */
export const EVENT_LABELS: Record<string, string> = {
  ...LIFECYCLE_EVENT_LABELS,
  case_created: '登记案件',
  consent_overridden: '紧急情况依法转介（未获同意）',
  case_viewed: '查看案件',
  access_denied: '拒绝访问',
  case_closed: '结案',
  case_reopened: '案件重新打开',
  notification_sent: '已发送通知',
  notification_failed: '通知发送失败',
  notification_skipped: '未发送通知',
  danger_review_requested: '危险研判：待确认',
  danger_review_confirmed: '危险研判：确认紧急',
  danger_review_dismissed: '危险研判：排除',
  danger_review_escalated: '危险研判超时督办',
  reclassified: '更正分类',
  referral_added: '新增转介',
  referral_cancelled: '撤销转介',
  urgency_changed: '调整紧急程度',
};

/** Who decided the urgency. */
export const URGENCY_SOURCE_LABELS: Record<string, string> = {
  classifier: '系统识别',
  operator: '接线员判断',
  caller: '求助人自述',
  review: '危险研判确认',
  staff: '人工更正',
  repeat_contact: '近期再次安全求助',
};

export const REVIEW_REASON_LABELS: Record<string, string> = { screen: '系统提示可能有紧急危险', caller_unsure: '求助人不确定自己是否安全' };

export const REVIEW_STATUS_LABELS: Record<string, string> = { pending: '待确认', confirmed: '已确认紧急', dismissed: '已排除' };

export const ESCALATION_LABELS: Record<number, string> = { 1: '一级提醒', 2: '主管督办', 3: '省级督办' };

export const label = (table: Record<string, string>, code: string | null | undefined): string => (code ? (table[code] ?? code) : '—');
