import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDbLocal } from '../../../local/dynamodb-local.js';

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('DynamoDB Local without Java', () => {
  it('fails with a message that names the fix', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-java-'));
    const started = startDynamoDbLocal();
    await expect(started).rejects.toBeInstanceOf(JavaMissingError);
    await expect(started).rejects.toThrow(/apt-get install -y default-jre-headless/);
  });
});
