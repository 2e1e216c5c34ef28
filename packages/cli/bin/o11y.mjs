#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so definitions in dashboards/, rules/ and alertmanager/ need no compile step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
