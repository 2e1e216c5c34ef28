export { diffAlertmanager } from './alertmanager.ts';
export { diffDashboards } from './dashboards.ts';
export { diffTrees } from './engine.ts';
export { type DiffLine, diffLines } from './lines.ts';
export type {
  CardinalityDiff,
  Change,
  DiffOptions,
  DiffReport,
  ItemDiff,
  SectionDiff,
  Status,
} from './model.ts';
export { isEmpty } from './model.ts';
export { promqlFormatter } from './promql.ts';
export { COMMENT_LIMIT, type MarkdownOptions, renderJson, renderMarkdown, renderText } from './render.ts';
export { diffLokiRules, diffRules } from './rules.ts';
export { diffSlos, SLO_KIND } from './slos.ts';
export { type BuildCommand, buildRef, npmBuild } from './worktree.ts';
