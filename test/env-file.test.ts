import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from '../src/env-file';

// Names no other test or setting uses, as the file is read into the one process.env.
const FROM_FILE = 'INCIDENT_BOT_TEST_FROM_FILE';
const SET_BOTH = 'INCIDENT_BOT_TEST_SET_BOTH';
const EMPTY_IN_ENV = 'INCIDENT_BOT_TEST_EMPTY_IN_ENV';
const NAMES = [FROM_FILE, SET_BOTH, EMPTY_IN_ENV, 'ENV_FILE'];

describe('loadEnvFile, the settings file of npm start', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-file-'));
    for (const name of NAMES) delete process.env[name];
  });

  afterEach(() => {
    for (const name of NAMES) delete process.env[name];
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the values of .env in the working directory', () => {
    writeFileSync(join(dir, '.env'), `${FROM_FILE}=from the file\n`);

    const read = loadEnvFile(dir);

    assert.equal(read, join(dir, '.env'));
    assert.equal(process.env[FROM_FILE], 'from the file');
  });

  it('keeps a variable already in the environment, even an empty one', () => {
    writeFileSync(join(dir, '.env'), `${SET_BOTH}=from the file\n${EMPTY_IN_ENV}=from the file\n`);
    process.env[SET_BOTH] = 'from the environment';
    process.env[EMPTY_IN_ENV] = '';

    loadEnvFile(dir);

    assert.equal(process.env[SET_BOTH], 'from the environment');
    assert.equal(process.env[EMPTY_IN_ENV], '');
  });

  it('starts without a .env, with the environment alone', () => {
    const read = loadEnvFile(dir);

    assert.equal(read, undefined);
    assert.equal(process.env[FROM_FILE], undefined);
  });

  it('reads the file ENV_FILE names, relative to the working directory', () => {
    writeFileSync(join(dir, 'bot.env'), `${FROM_FILE}=from bot.env\n`);
    writeFileSync(join(dir, '.env'), `${FROM_FILE}=from .env\n`);
    process.env.ENV_FILE = 'bot.env';

    loadEnvFile(dir);

    assert.equal(process.env[FROM_FILE], 'from bot.env');
  });

  it('stops, naming the file, when the file ENV_FILE names is missing', () => {
    process.env.ENV_FILE = 'missing.env';

    assert.throws(() => loadEnvFile(dir), /missing\.env \(ENV_FILE\)/);
  });
});
