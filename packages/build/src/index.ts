export {
  type BuildOptions,
  type BuildResult,
  build,
  definitionModules,
  loadDefinitions,
  STAGES,
  type Stage,
} from './build.ts';
export { emitters } from './emitters.ts';
export { projectModel } from './model.ts';
export { estimatedSeries } from './series.ts';
