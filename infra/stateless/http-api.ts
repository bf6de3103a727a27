// The HTTP API of the stateless stack: one route per entry of the route table (shared/http/routes.ts)
// on its function, staff routes behind the JWT authorizer (the stack's Cognito pool or an external
// OIDC issuer), a throttled stage whose access log holds codes only. Built in the stack's own scope
// (logical ids unchanged).
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { API_ROUTES, type ApiRoute } from '../../shared/http/routes.js';
import type { PlatformConfig } from '../config.js';
import { acknowledge } from '../constructs/acknowledge.js';
import type { PlatformFunction } from '../constructs/platform-function.js';
import type { StatefulStack } from '../stateful-stack.js';
import { deployParameter, functionId, requireValue } from './functions.js';

/** What the console needs to sign staff in (its /console-config.json), when the stack can know it. */
export interface ConsoleSignIn {
  discovery: string;
  clientId: string;
  origins: string[];
}

interface StaffSignIn {
  authorizer: HttpJwtAuthorizer;
  userPool?: cognito.UserPool;
  consoleSignIn?: ConsoleSignIn;
}

export interface PlatformApi {
  httpApi: apigw.HttpApi;
  stage: apigw.HttpStage;
  userPool?: cognito.UserPool;
  consoleSignIn?: ConsoleSignIn;
}

export function createHttpApi(stack: Stack, config: PlatformConfig, stateful: StatefulStack, functionFor: (name: string) => PlatformFunction): PlatformApi {
  const auth = staffAuthorizer(stack, config, stateful);
  const httpApi = new apigw.HttpApi(stack, 'HttpApi', {
    description: 'Referral platform: hotline and web intake, caseworker API',
    createDefaultStage: false,
    corsPreflight: config.webConsoleOrigin
      ? {
          allowOrigins: [config.webConsoleOrigin],
          allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
          allowHeaders: ['authorization', 'content-type'],
          maxAge: Duration.hours(1),
        }
      : undefined,
  });
  const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
  const stage = new apigw.HttpStage(stack, 'DefaultStage', {
    httpApi,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: config.apiThrottleRate, burstLimit: config.apiThrottleBurst },
    accessLogSettings: {
      destination: new apigw.LogGroupLogDestination(accessLogs),
      // Identifiers and codes only: no source IP, user agent, path or query (docs/privacy.md).
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });
  // The public form has its own, lower throttle (and per-route metrics for the burst alarm): a
  // flood of anonymous posts cannot crowd out the signed hotline routes.
  (stage.node.defaultChild as apigw.CfnStage).routeSettings = {
    // An untyped property of the L1 construct: CloudFormation's own casing.
    [WEB_INTAKE_ROUTE]: { ThrottlingRateLimit: config.webIntakeThrottleRate, ThrottlingBurstLimit: config.webIntakeThrottleBurst, DetailedMetricsEnabled: true },
  };
  const integrations = new Map<string, HttpLambdaIntegration>();
  for (const route of API_ROUTES) {
    const fn = functionFor(route.functionName);
    let integration = integrations.get(route.functionName);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${functionId(route.functionName)}Integration`, fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
      integrations.set(route.functionName, integration);
    }
    const [created] = httpApi.addRoutes({
      path: route.path,
      methods: [apigw.HttpMethod[route.method]],
      integration,
      authorizer: route.auth === 'staff' ? auth.authorizer : new apigw.HttpNoneAuthorizer(),
    });
    if (created && route.auth !== 'staff') acknowledgeUnauthenticatedRoute(created, route);
  }

  return { httpApi, stage, userPool: auth.userPool, consoleSignIn: auth.consoleSignIn };
}

/** The console's sign-in with an OIDC issuer other than the stack's pool: its discovery document and the console's client there. */
function externalIssuerSignIn(config: PlatformConfig, issuer: string): ConsoleSignIn | undefined {
  if (!config.oidcConsoleClientId || !config.consoleUrl) return undefined;
  // The issuer's own URL as a CSP source: its discovery document and token endpoint are below it.
  return { discovery: `${issuer}/.well-known/openid-configuration`, clientId: config.oidcConsoleClientId, origins: [`${issuer}/`] };
}

/** Staff sign in with the stack's own Cognito pool (global regions, no issuer configured). */
function staffAuthorizer(stack: Stack, config: PlatformConfig, stateful: StatefulStack): StaffSignIn {
  if (config.oidcIssuer) {
    return {
      consoleSignIn: externalIssuerSignIn(config, config.oidcIssuer),
      authorizer: new HttpJwtAuthorizer('StaffJwt', config.oidcIssuer, { jwtAudience: config.oidcAudience, identitySource: ['$request.header.Authorization'] }),
    };
  }
  if (config.china) {
    // No Cognito user pools in the China regions: the issuer is given at deploy time
    // (cdk deploy --parameters OidcIssuer=https://...). The synth stays offline and deterministic.
    const issuer = deployParameter(stack, 'OidcIssuer', 'OIDC issuer of staff tokens (the China regions offer no Cognito user pools)', '^https://\\S+$');
    return {
      consoleSignIn: externalIssuerSignIn(config, issuer),
      authorizer: new HttpJwtAuthorizer('StaffJwt', issuer, { jwtAudience: config.oidcAudience, identitySource: ['$request.header.Authorization'] }),
    };
  }
  const staff = requireValue(stateful.staff, 'the staff directory of the stateful stack');
  return {
    consoleSignIn: staff.consoleSignIn,
    userPool: staff.userPool,
    authorizer: new HttpJwtAuthorizer('StaffJwt', staff.userPool.userPoolProviderUrl, { jwtAudience: [staff.client.userPoolClientId], identitySource: ['$request.header.Authorization'] }),
  };
}

/** The public web form's route key (its own throttle and burst alarm). */
export const WEB_INTAKE_ROUTE = 'POST /intake/web';

/** Fields of the API access log: identifiers, codes and timings only. */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  authorizerError: '$context.authorizer.error',
  errorType: '$context.error.responseType',
} as const;

function acknowledgeUnauthenticatedRoute(route: apigw.HttpRoute, r: ApiRoute) {
  acknowledge(route, {
    id: 'AwsSolutions-APIG4',
    reason:
      r.auth === 'signature'
        ? `${r.method} ${r.path} is called by a hotline system that signs each request (HMAC-SHA256, X-Key-Id / X-Signature, ±300 s); the function verifies the signature itself.`
        : `${r.method} ${r.path} is the public web intake form: anyone may submit, idempotent by clientRequestId, throttled at the stage.`,
  });
}
