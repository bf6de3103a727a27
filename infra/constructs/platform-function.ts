// A NodejsFunction with the platform's common settings: nodejs24.x on arm64 (the newest runtime CDK
// and cfn-lint accept in both partitions; nodejs22.x ends 2027-04-30), bundled locally by
// esbuild (no Docker) into one minified ESM file with source maps and the AWS SDK inside, the
// repository's data/ folder copied next to the bundle (DATA_DIR), its own log group with
// retention, and its own role whose only policy is the one given (PlatformFunction never lets a
// construct add statements behind the catalogue's back: the role is passed to Lambda as
// `withoutPolicyUpdates()`).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { bundleAliases, FUNCTION_BUNDLING } from '../function-bundling.js';

export interface PlatformFunctionProps {
  /** Folder under functions/ holding handler.ts (exporting `handler`). */
  functionName: string;
  description: string;
  repositoryRoot: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  logRetentionDays: number;
  /** X-Ray active tracing (never in the China profile: the config refuses it there). */
  tracing: boolean;
  /** The role's statements besides writing its own logs. */
  statements: iam.PolicyStatement[];
  /** Write a prebuilt classifier beside the bundle (the intake functions). */
  prebuiltClassifier?: boolean;
}

/** Where the data files are inside the deployment package (shared/config/data-files.ts reads DATA_DIR). */
export const LAMBDA_DATA_DIR = '/var/task/data';

/** Data files only the local runtime reads (the demo duty roster): never shipped to Lambda. */
export const LOCAL_ONLY_DATA_FILES = ['roster.json'] as const;

/**
 * The shell command (any platform: only `node` and its quoting) that copies data/ next to a bundle
 * and leaves out the files only the local runtime uses.
 */
export function copyDataCommand(inputDir: string, outputDir: string): string {
  const script = [
    'const fs = require("node:fs"), path = require("node:path");',
    'const [from, to, ...skip] = process.argv.slice(1);',
    'fs.cpSync(path.join(from, "data"), path.join(to, "data"), { recursive: true });',
    'for (const f of skip) fs.rmSync(path.join(to, "data", f), { force: true });',
  ].join(' ');
  const q = (v: string) => JSON.stringify(v);
  return ['node', '-e', q(script), q(inputDir), q(outputDir), ...LOCAL_ONLY_DATA_FILES.map(q)].join(' ');
}

/**
 * The command that writes the prebuilt classifier of the data just copied beside the bundle (run
 * by node with the repository's tsx, so that it works wherever `cdk deploy` runs).
 */
export function prebuiltClassifierCommand(inputDir: string, outputDir: string): string {
  const q = (v: string) => JSON.stringify(v);
  return [
    'node',
    q(join(inputDir, 'node_modules', 'tsx', 'dist', 'cli.mjs')),
    q(join(inputDir, 'cli', 'build-classifier.ts')),
    q(join(outputDir, 'data', 'generated', 'classifier.json')),
    '--data',
    q(join(outputDir, 'data')),
    // The lexicon and the danger model's TSV are compiled into data/generated/: not shipped beside it.
    '--leave-out-sources',
  ].join(' ');
}

export class PlatformFunction extends NodejsFunction {
  readonly executionRole: iam.Role;
  readonly functionLogs: logs.LogGroup;
  readonly rolePolicy: iam.Policy;
  readonly catalogueName: string;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.functionName} function`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    super(scope, id, {
      description: props.description,
      entry: join(props.repositoryRoot, 'functions', props.functionName, 'handler.ts'),
      handler: 'handler',
      projectRoot: props.repositoryRoot,
      depsLockFilePath: join(props.repositoryRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      role: role.withoutPolicyUpdates(),
      logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.functionName,
        NODE_OPTIONS: '--enable-source-maps',
        // Operational counts as embedded-metric-format lines (shared/adapters/metrics.ts).
        POWERTOOLS_METRICS_DISABLED: 'false',
        DATA_DIR: LAMBDA_DATA_DIR,
      },
      bundling: {
        // The settings bench:bundles measures (infra/function-bundling.ts).
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        target: FUNCTION_BUNDLING.target,
        format: OutputFormat.ESM,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        esbuildArgs: {
          // Passed as an argument: this CDK version does not forward its own `charset` option to esbuild.
          '--charset': FUNCTION_BUNDLING.charset,
          ...Object.fromEntries(Object.entries(bundleAliases(props.repositoryRoot)).map(([from, to]) => [`--alias:${from}`, to])),
        },
        bundleAwsSDK: true,
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The administrator-editable data files travel with the code they configure. Node does the
          // copying (not cp/rm), so that an administrator can deploy from Windows as well.
          // An intake function also gets its classifier prebuilt from those files (no compile at cold start).
          afterBundling: (inputDir: string, outputDir: string) => [copyDataCommand(inputDir, outputDir), ...(props.prebuiltClassifier ? [prebuiltClassifierCommand(inputDir, outputDir)] : [])],
        },
      },
    });
    this.executionRole = role;
    this.functionLogs = logGroup;
    this.catalogueName = props.functionName;

    const statements = [
      new iam.PolicyStatement({
        sid: 'OwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      ...props.statements,
    ];
    if (props.tracing) {
      statements.push(new iam.PolicyStatement({ sid: 'XRay', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
    }
    this.rolePolicy = new iam.Policy(scope, `${id}Policy`, { roles: [role], statements });
    // The function (and so its event source mapping) is created only once its role may do its work.
    this.node.addDependency(this.rolePolicy);
  }
}
