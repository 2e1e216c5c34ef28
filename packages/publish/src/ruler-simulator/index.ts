export { type RulerRequest, RulerSimulator } from './simulator.ts';
