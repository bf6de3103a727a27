// Which AWS calls a function's code can make, read from the code itself: esbuild bundles the
// handler (as the stack does) and reports which project files put code into the bundle; those
// files are scanned for AWS SDK command constructors. The result is what the function's role must
// allow (file granularity: a shared repository contributes all its calls, which is why the
// catalogue can list calls a function never makes under `notUsed`).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { GrantTarget } from '../../infra/function-catalogue.js';

export interface CodeCall {
  action: string;
  on: GrantTarget | 'secret';
  /** Repository-relative file where the call is made. */
  file: string;
}

/** Project source files (not node_modules) whose code ends up in the function's bundle. */
export async function bundledSourceFiles(repositoryRoot: string, functionName: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(repositoryRoot, 'functions', functionName, 'handler.ts')],
    absWorkingDir: repositoryRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    outdir: 'out',
    logLevel: 'silent',
  });
  const files = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, info] of Object.entries(output.inputs)) {
      if (info.bytesInOutput > 0 && !file.includes('node_modules/')) files.add(relative(repositoryRoot, join(repositoryRoot, file)));
    }
  }
  return [...files].sort();
}

const DOCUMENT_COMMANDS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  BatchGetItemCommand: ['dynamodb:BatchGetItem'],
  BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
};

/** Transaction items map to the underlying item actions (there is no TransactWriteItems IAM action). */
const TRANSACTION_ITEMS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** The text of one `new XCommand(` call: up to the next command constructor (enough for its literal input). */
function callTexts(text: string, command: string): string[] {
  const parts = text.split(new RegExp(`new ${command}\\(`));
  return parts.slice(1).map((p) => p.split(/new \w+Command\(/)[0] ?? '');
}

/** The AWS calls one source file makes, by action and target. */
export function callsInSource(file: string, text: string): CodeCall[] {
  const calls: CodeCall[] = [];
  const add = (action: string, on: CodeCall['on']) => calls.push({ action, on, file });
  for (const [command, actions] of Object.entries(DOCUMENT_COMMANDS)) {
    if (new RegExp(`new ${command}\\(`).test(text)) for (const a of actions) add(a, 'table');
  }
  for (const call of callTexts(text, 'QueryCommand')) {
    const index = /IndexName:\s*(?:INDEXES\.(\w+)\.name|['"](\w+)['"])/.exec(call);
    if (!index) add('dynamodb:Query', 'table');
    else add('dynamodb:Query', `index:${index[1] ?? index[2]}` as GrantTarget);
  }
  if (/new (TransactWriteCommand|TransactWriteItemsCommand)\(/.test(text)) {
    for (const [key, action] of Object.entries(TRANSACTION_ITEMS)) {
      if (new RegExp(`\\b${key}\\s*:\\s*[{\\w]`).test(text)) add(action, 'table');
    }
  }
  // The input is often built by a helper in the same file: look at the whole file for its target.
  if (/new PublishCommand\(/.test(text)) {
    if (/\bTopicArn\s*:/.test(text)) add('sns:Publish', 'referrals-topic');
    if (/\bPhoneNumber\s*:/.test(text)) add('sns:Publish', 'sms-phone-numbers');
  }
  if (/new GetSecretValueCommand\(/.test(text)) add('secretsmanager:GetSecretValue', 'secret');
  return calls;
}

/** Every AWS call the function's bundled code can make. */
export async function callsOfFunction(repositoryRoot: string, functionName: string): Promise<CodeCall[]> {
  const files = await bundledSourceFiles(repositoryRoot, functionName);
  return files.flatMap((f) => callsInSource(f, readFileSync(join(repositoryRoot, f), 'utf8')));
}
