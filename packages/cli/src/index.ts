export { type BuildOptions, type BuildResult, build, loadDefinitions, type Manifest } from './build.ts';
export type { Command, CommandIO } from './command.ts';
export { emitters } from './emitters.ts';
export { main } from './main.ts';
