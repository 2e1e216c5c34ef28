export type { Command, CommandIO } from './command.ts';
export { main } from './main.ts';
