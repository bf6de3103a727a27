// The ledger's codes and their Chinese labels, apart from the schemas (the console reads them without zod).

/** The focus markers of measure (二十三): the households to watch most closely. */
export const FOCUS_MARKERS = ['economic_hardship', 'disability', 'serious_illness'] as const;
export type FocusMarker = (typeof FOCUS_MARKERS)[number];
export const FOCUS_LABELS: Record<FocusMarker, string> = { economic_hardship: '经济困难', disability: '残疾', serious_illness: '重病' };
/** Markers that are sensitive personal information (PIPL art. 28: health). */
export const SENSITIVE_FOCUS: readonly FocusMarker[] = ['disability', 'serious_illness'];

/** The legal basis of the processing (PIPL art. 13 (1), (3), (4)). */
export const LEGAL_BASES = ['consent', 'statutory_duty', 'vital_interest'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = { consent: '本人同意', statutory_duty: '履行法定职责', vital_interest: '保护生命健康所必需' };
