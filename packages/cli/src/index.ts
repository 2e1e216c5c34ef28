export { type BuildOptions, type BuildResult, build, type Manifest } from './build.ts';
export type { Command, CommandIO } from './command.ts';
export { main } from './main.ts';
