import { readFileSync } from 'node:fs';
import { O11yError } from '@o11y/core';

/**
 * A secret from the environment: `NAME`, or the file named by `NAME_FILE` (Docker/Kubernetes secret
 * style, trailing newline dropped). Setting both is an error: which one wins would be a guess.
 */
export function readSecret(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    throw new O11yError(`both ${name} and ${name}_FILE are set`, {
      id: 'publish/secret',
      hint: `unset one of them`,
    });
  }
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new O11yError(
        `cannot read ${name}_FILE (${file}): ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        {
          id: 'publish/secret',
          hint: `point ${name}_FILE at a readable file holding only the secret`,
        },
      );
    }
  }
  return direct || undefined;
}
