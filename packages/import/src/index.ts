export { compareAlertmanagerConfigs } from './alertmanager/compare.ts';
export { type Evidence, evidenceFromExposition, evidenceFromPrometheus } from './catalog/evidence.ts';
export { compareDashboards } from './dashboards/compare.ts';
export { type ImportOptions, type ImportPlan, planImport } from './import.ts';
export {
  formatReportJson,
  formatReportText,
  type ImportReport,
  type InferredType,
  type LostItem,
  type Normalisation,
  type PassthroughItem,
  type SecretItem,
} from './report.ts';
export { compareRuleSets } from './rules/verify.ts';
export { conflicts, type PlannedFile, writeAllOrNothing } from './write.ts';
