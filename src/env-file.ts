import { resolve } from 'node:path';

/**
 * Reads the settings file into `process.env` before the settings are parsed: `ENV_FILE` if the
 * environment names one, else `.env` in `cwd`. Returns the file read, or undefined when there was
 * none.
 *
 * A variable already in the environment keeps its value, even an empty one: `process.loadEnvFile`
 * never overwrites one (checked on Node 20.20, and by test/env-file.test.ts on every run), so a
 * deployment can override a line of the file without editing it.
 *
 * A missing `.env` is fine, as settings may all come from the environment (containers, systemd).
 * A missing file named by `ENV_FILE` is not: whoever set it expects its settings to be used.
 */
export function loadEnvFile(cwd: string = process.cwd()): string | undefined {
  const named = process.env.ENV_FILE?.trim();
  const path = resolve(cwd, named || '.env');

  try {
    process.loadEnvFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!named && code === 'ENOENT') return undefined;
    // Thrown before the logger exists; main prints the message plainly.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot read the settings file ${path}${named ? ' (ENV_FILE)' : ''}: ${reason}`,
    );
  }
  return path;
}
