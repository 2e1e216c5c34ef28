/**
 * Derives the JSON Schemas that `verify` validates emitted dashboards against from the foundation
 * SDK's own TypeScript types, so the schemas always match the SDK version in package-lock.json.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@o11y/core';
import { generateSchemas } from '../src/verify/generate.ts';

const dist = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');
for (const { file, content } of generateSchemas()) await writeFileAtomic(path.join(dist, file), content);
