// The code and its wiring: one function per catalogue entry (functions/<name>/handler.ts, built by
// stateless/functions.ts), the HTTP API from API_ROUTES (stateless/http-api.ts), the stream
// mappings and the escalation schedule, and the alarms and dashboard (stateless/monitoring.ts).
// Nothing here holds data: the stack can be destroyed and redeployed.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { PlatformConfig } from './config.js';
import type { PlatformFunction } from './constructs/platform-function.js';
import type { StatefulStack } from './stateful-stack.js';
import { addTriggers, createFunctions } from './stateless/functions.js';
import { createHttpApi, type ConsoleSignIn } from './stateless/http-api.js';
import { addMonitoring } from './stateless/monitoring.js';

export { STATISTICS_STREAM_MAPPING, STREAM_MAPPING, functionId } from './stateless/functions.js';
export { ACCESS_LOG_FIELDS, WEB_INTAKE_ROUTE } from './stateless/http-api.js';

export interface StatelessStackProps extends StackProps {
  config: PlatformConfig;
  stateful: StatefulStack;
  repositoryRoot: string;
}

export class StatelessStack extends Stack {
  readonly functions: ReadonlyMap<string, PlatformFunction>;
  readonly httpApi: apigw.HttpApi;
  readonly userPool?: cognito.UserPool;
  /** What the console needs to sign staff in (its /console-config.json), when the stack can know it. */
  readonly consoleSignIn?: ConsoleSignIn;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    this.functions = createFunctions(this, config, stateful, props.repositoryRoot);
    const api = createHttpApi(this, config, stateful, (name) => this.functionFor(name));
    this.httpApi = api.httpApi;
    this.userPool = api.userPool;
    this.consoleSignIn = api.consoleSignIn;
    addTriggers(this, this.functions, stateful);
    addMonitoring(this, config, stateful, this.functions, this.httpApi);

    new CfnOutput(this, 'ApiUrl', { value: api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'NotifierDlqUrl', { value: stateful.notifierDeadLetterQueue.queueUrl, description: 'The notifier dead-letter queue (npm run notifications:redrive)' });
  }

  functionFor(name: string): PlatformFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`function ${name} has no entry in infra/function-catalogue.ts`);
    return fn;
  }
}
